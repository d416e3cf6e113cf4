import { writeFileSync } from 'node:fs'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { findBaseline, gainOver } from '../../core/analysis/baseline.ts'
import { bestTrial, isInfeasibleResult, noBestReason, paretoFront } from '../../core/analysis/pareto.ts'
import type { ParamValue } from '../../core/distributions/distribution.ts'
import { UsageError } from '../../core/errors.ts'
import { type FrozenTrial, reasonOf, sortTrials } from '../../core/trial/frozen-trial.ts'
import { TRIAL_STATES, type TrialState } from '../../core/trial/trial-state.ts'
import { trialsToCsv, trialsToJson } from '../../report/export.ts'
import { shorten } from '../../report/format.ts'
import { followUps } from '../../report/lineage.ts'
import { requireStudy, usingStorage, withStorageOption, writingTo } from '../context.ts'
import { formatGain, formatNumber, formatParams, table } from '../format.ts'

interface StorageOpts {
  storage: string
}

/** `winnow studies | trials | best | export | delete`: read and manage what a storage holds. */
export function registerStudyCommands(program: Command): void {
  withStorageOption(program.command('studies').description('list the studies in a storage')).action(
    async (opts: StorageOpts) =>
      usingStorage(opts.storage, async (storage) => {
        const studies = await storage.listStudies()
        if (studies.length === 0) {
          console.log(`No studies in ${storage.url}.`)
          return
        }
        const rows = studies.map((s) => [
          s.name,
          s.directions.map((d, i) => `${s.metricNames[i]} (${d})`).join(', '),
          ...(['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING', 'PAUSED'] as const).map((k) => String(s.counts[k])),
          new Date(s.createdAt).toISOString().slice(0, 16).replace('T', ' '),
        ])
        console.log(
          table(
            ['study', 'objective', 'complete', 'pruned', 'failed', 'running', 'waiting', 'paused', 'created'],
            rows,
          ),
        )
      }),
  )

  withStorageOption(program.command('trials <study>').description('list the trials of a study'))
    .option(
      '--state <state>',
      `only trials in this state (${TRIAL_STATES.join(', ')}, or INFEASIBLE: complete but breaking a constraint; any case)`,
      parseState,
    )
    .addOption(
      new Option(
        '--sort <order>',
        'number: in trial order; value: best first by the objective (with several objectives, by the first one; trials without a value last)',
      )
        .choices(['number', 'value'])
        .default('number'),
    )
    .option('--limit <n>', 'show only the last n trials (with --sort value: the best n)', (v) =>
      positiveInt(v, '--limit'),
    )
    .option('--logs', "print the stored log tail of each failed trial shown (its output's last lines)")
    .action(
      async (
        name: string,
        opts: StorageOpts & { state?: ShownState; sort: 'number' | 'value'; limit?: number; logs?: boolean },
      ) =>
        usingStorage(opts.storage, async (storage) => {
          const info = await requireStudy(storage, name)
          const all = (await storage.listTrials(info.id)).trials
          // The baseline is looked up among all trials, so "vs baseline" is filled when its row is filtered out.
          const baseline = findBaseline(all)
          const shown = (t: FrozenTrial) =>
            opts.state === 'INFEASIBLE' ? isInfeasibleResult(t) : t.state === opts.state
          let trials = opts.state ? all.filter(shown) : all
          if (opts.sort === 'value') {
            trials = sortTrials(trials, 'value', info.directions[0] === 'minimize' ? 'asc' : 'desc')
            if (opts.limit) trials = trials.slice(0, opts.limit)
          } else if (opts.limit) trials = trials.slice(-opts.limit)
          const rows = trials.map((t) => [
            `#${t.number}${t === baseline ? ' (baseline)' : ''}`,
            t.state,
            t.values ? t.values.map(formatNumber).join(', ') : lastValue(t),
            // One gain per objective, in the order of the values column.
            t.values && baseline?.values
              ? info.directions.map((d, i) => formatGain(gainOver(baseline.values![i], t.values![i], d))).join(', ')
              : '-',
            formatParams(shownParams(t)),
            shorten((reasonOf(t) ?? '').replace(/\s+/g, ' '), 100),
          ])
          console.log(
            table(['trial', 'state', info.metricNames.join(', '), 'vs baseline', 'params', 'why it ended'], rows),
          )
          if (opts.logs) printLogTails(trials)
        }),
    )

  withStorageOption(program.command('best <study>').description('show the best trial (or the Pareto front)'))
    .option('--json', 'print JSON')
    .action(async (name: string, opts: StorageOpts & { json?: boolean }) =>
      usingStorage(opts.storage, async (storage) => {
        const info = await requireStudy(storage, name)
        const { trials } = await storage.listTrials(info.id)
        const best =
          info.directions.length === 1
            ? [bestTrial(trials, info.directions[0])].filter((t) => t !== undefined)
            : paretoFront(trials, info.directions)
        if (opts.json) {
          console.log(
            JSON.stringify(
              best.map((t) => ({ number: t.number, values: t.values, params: t.params })),
              null,
              2,
            ),
          )
          return
        }
        if (best.length === 0) {
          console.log(`Study "${name}": ${noBestReason(trials)}`)
          return
        }
        const baseline = findBaseline(trials)
        for (const t of best) {
          const gain =
            baseline?.values && t.values && info.directions.length === 1
              ? gainOver(baseline.values[0], t.values[0], info.directions[0])
              : undefined
          console.log(
            `trial #${t.number}: ${info.metricNames.map((m, i) => `${m}=${formatNumber(t.values![i])}`).join(' ')}${gain !== undefined ? `  (${formatGain(gain)} vs baseline #${baseline!.number})` : ''}`,
          )
          for (const [k, v] of Object.entries(t.params)) console.log(`  ${k}: ${JSON.stringify(v)}`)
        }
      }),
    )

  withStorageOption(program.command('export <study>').description('export trials as CSV or JSON'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (name: string, opts: StorageOpts & { format: 'csv' | 'json'; output?: string }) =>
      usingStorage(opts.storage, async (storage) => {
        const info = await requireStudy(storage, name)
        const { trials } = await storage.listTrials(info.id)
        const text = opts.format === 'csv' ? trialsToCsv(info, trials) : trialsToJson(info, trials)
        if (opts.output) {
          const output = opts.output
          await writingTo('--output', output, () => writeFileSync(output, text))
          console.error(`Wrote ${trials.length} trials to ${opts.output}.`)
        } else process.stdout.write(text)
      }),
    )

  withStorageOption(program.command('delete <study>').description('delete a study and all its trials'))
    .option('-y, --yes', 'do not ask for confirmation (required when not interactive)')
    .action(async (name: string, opts: StorageOpts & { yes?: boolean }) =>
      usingStorage(opts.storage, async (storage) => {
        const info = await requireStudy(storage, name)
        if (!opts.yes)
          throw new UsageError(`Deleting study "${name}" removes all its trials for good. Pass --yes to confirm.`)
        await storage.deleteStudy(info.id)
        // The study it was focused from no longer lists it as a follow-up.
        const from = info.systemAttrs.focusedFrom
        const parent = typeof from === 'string' ? await storage.findStudy(from) : undefined
        const links = parent === undefined ? [] : followUps(parent.systemAttrs)
        if (parent !== undefined && links.includes(name))
          await storage.setStudyAttrs(parent.id, 'system', { focusedInto: links.filter((n) => n !== name) })
        console.log(`Deleted study "${name}" from ${storage.url}.`)
      }),
    )
}

/** A trial state, or INFEASIBLE (COMPLETE but breaking a constraint) for `winnow trials --state`. */
type ShownState = TrialState | 'INFEASIBLE'

function parseState(v: string): ShownState {
  const state = v.toUpperCase() as ShownState
  if (state !== 'INFEASIBLE' && !TRIAL_STATES.includes(state))
    throw new InvalidArgumentError(
      `"${v}" is not a trial state. Use one of ${TRIAL_STATES.join(', ')} (or INFEASIBLE).`,
    )
  return state
}

/** Each failed trial's exit and the last lines of its output, as stored when it ended. */
function printLogTails(trials: readonly FrozenTrial[]): void {
  const failed = trials.filter((t) => t.state === 'FAIL')
  if (failed.length === 0) console.log('\nNo failed trial among those shown.')
  for (const t of failed) {
    const exit = t.systemAttrs.exit as { code?: number | null; signal?: string | null; logTail?: string } | undefined
    const how =
      exit === undefined ? 'no exit recorded' : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`
    console.log(`\n#${t.number} ${how}${exit?.logTail ? ':' : ''}`)
    if (exit?.logTail) console.log(exit.logTail.replace(/^/gm, '  '))
  }
}

/** A trial's parameters; for a queued trial not yet started (baseline, grid point), the ones it was queued with. */
function shownParams(t: FrozenTrial): Readonly<Record<string, ParamValue>> {
  const queued = t.systemAttrs.fixedParams
  if (Object.keys(t.params).length > 0 || queued === null || typeof queued !== 'object' || Array.isArray(queued))
    return t.params
  return queued as Record<string, ParamValue>
}

function lastValue(t: FrozenTrial): string {
  const last = t.intermediate.at(-1)
  return last === undefined ? '-' : `${formatNumber(last.value)} @${last.step}`
}

/** Parses a positive integer flag value or throws a UsageError naming the flag. */
export function positiveInt(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a whole number > 0, but got "${v}".`)
  return n
}
