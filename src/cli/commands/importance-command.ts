import { type Command, Option } from 'commander'
import type { ParamImportance } from '../../core/analysis/importance/encode.ts'
import { IMPORTANCE_METHODS, type ImportanceMethod, paramImportance } from '../../core/analysis/importance/index.ts'
import { UsageError } from '../../core/errors.ts'
import { requireStudy, usingStorage, withStorageOption } from '../context.ts'
import { table } from '../format.ts'
import { MIN_FOCUS_TRIALS } from './focus-shared.ts'

interface ImportanceFlags {
  storage: string
  method: ImportanceMethod
  seed: number
  objective: number
  json?: boolean
}

/** `winnow importance <study>`: which parameters moved the objective, as a ranked table with bars. */
export function registerImportanceCommand(program: Command): void {
  withStorageOption(
    program.command('importance <study>').description('rank the parameters by how much they moved the objective'),
  )
    .addOption(new Option('-m, --method <method>', 'importance method').choices(IMPORTANCE_METHODS).default('fanova'))
    .option('--seed <n>', 'seed of the random forest (fanova)', (v) => wholeNumber(v, '--seed'), 0)
    .option(
      '--objective <i>',
      'which objective of a multi-objective study (0-based)',
      (v) => wholeNumber(v, '--objective'),
      0,
    )
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ImportanceFlags) =>
      usingStorage(flags.storage, async (storage) => {
        const info = await requireStudy(storage, name)
        if (flags.objective >= info.directions.length)
          throw new UsageError(
            `Study "${name}" has ${info.directions.length} objective(s), so --objective ${flags.objective} does not exist. Use 0${info.directions.length > 1 ? `..${info.directions.length - 1}` : ''}.`,
          )
        const { trials } = await storage.listTrials(info.id, { states: ['COMPLETE'] })
        const ranked = paramImportance(flags.method, trials, {
          direction: info.directions[flags.objective],
          objective: flags.objective,
          seed: flags.seed,
        })
        // PED-ANOVA compares where the best trials' values lie with where all trials' lie; in a one-at-a-time sweep
        // every parameter sits at its baseline value in most trials, top ones included, so an inert parameter looks
        // decisive (an audit saw lora_dropout, unwired, ranked first at 37 %; fANOVA gave it 0 %).
        if (flags.method === 'ped-anova' && info.systemAttrs.sampler === 'ofat')
          process.stderr.write(
            `Warning: study "${name}" is a one-at-a-time sweep, whose trials PED-ANOVA misreads (each parameter sits at its baseline in most of them). Use -m fanova, or read the sweep's sensitivity plots in \`winnow report ${name}\`.\n`,
          )
        if (trials.length < MIN_FOCUS_TRIALS)
          process.stderr.write(
            `Warning: ${trials.length} completed trials are few for an importance ranking; treat it as rough (${MIN_FOCUS_TRIALS} at least, 30 or more for a steady one).\n`,
          )
        if (flags.json) {
          console.log(JSON.stringify(ranked, null, 2))
          return
        }
        if (ranked.length === 0) {
          console.log(`Study "${name}" has no parameter that all its ${trials.length} completed trials share and vary.`)
          return
        }
        const metric = `${info.metricNames[flags.objective]} (${info.directions[flags.objective]})`
        console.log(
          `Parameter importance for ${metric} in study "${name}" — ${flags.method}, ${trials.length} completed trials`,
        )
        console.log(importanceTable(ranked))
      }),
    )
}

/** A ranked table of importances with a bar per parameter, scaled so the most important one fills the width. */
export function importanceTable(ranked: readonly ParamImportance[], width = 30): string {
  const max = Math.max(...ranked.map((e) => e.importance), 1e-12)
  const rows = ranked.map((e, i) => [
    String(i + 1),
    e.param,
    `${(e.importance * 100).toFixed(1)} %`,
    bar(e.importance / max, width),
  ])
  return table(['#', 'parameter', 'importance', ''], rows)
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/** A horizontal bar of `fraction` × `width` cells in unicode blocks, to an eighth of a cell. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, fraction)) * width * 8)
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
}

function wholeNumber(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number >= 0, but got "${v}".`)
  return n
}
