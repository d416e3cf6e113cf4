/**
 * Scheduler benchmark: `npm run bench:schedulers -- [--seeds 20] [--budget 10000] [--problem lora-sft-curves]
 * [--curves bench/data/tinylm-curves.json] [--variants none,median,…] [--sampler tpe|random|auto] [--jobs 2] [--first-seed 0] [--out runs.jsonl]`.
 *
 * Drives the real Study + scheduler on a learning-curve problem with a step budget, measured as the Optuna
 * anchor's run_pruners.py (see simulate.ts), and prints the steps each scheduler needed until the incumbent's
 * regret first fell to <= 0.05 / 0.02 / 0.01 (median over seeds) beside Optuna 3.1's rows. With `--curves`, the
 * same runs on recorded real curves (no anchor there).
 */
import { appendFileSync, existsSync } from 'node:fs'
import { UsageError } from '../../src/core/errors.ts'
import { benchArgs } from '../bench-args.ts'
import { getProblem, isCurveProblem } from '../problems/index.ts'
import { runInWorkers } from '../worker-pool.ts'
import { findVariant } from './custom-variant.ts'
import { loadRecordedCurves } from './recorded-curves.ts'
import type { SchedulerRun } from './simulate.ts'
import { formatTable, summarise } from './table.ts'
import { BENCH_SAMPLERS, type BenchSamplerName, VARIANTS } from './variants.ts'
import type { SchedulerTask } from './worker.ts'

const USAGE =
  'Usage: npm run bench:schedulers -- [--seeds 20] [--budget 10000] [--problem lora-sft-curves] [--curves bench/data/tinylm-curves.json] [--variants none,median,…] [--sampler tpe|random|auto|gp] [--jobs 2] [--first-seed 0] [--out runs.jsonl]'

async function main(): Promise<void> {
  const values = benchArgs(USAGE, {
    seeds: { type: 'string', default: '20' },
    'first-seed': { type: 'string', default: '0' },
    budget: { type: 'string', default: '10000' },
    problem: { type: 'string', default: 'lora-sft-curves' },
    curves: { type: 'string' },
    variants: { type: 'string', default: VARIANTS.map((v) => v.name).join(',') },
    sampler: { type: 'string', default: 'tpe' },
    jobs: { type: 'string', default: '2' },
    out: { type: 'string' },
  })
  const seeds = positiveInt('seeds', values.seeds!)
  const firstSeed = positiveInt('first-seed', String(Number(values['first-seed']) + 1)) - 1
  const budget = positiveInt('budget', values.budget!)
  const jobs = positiveInt('jobs', values.jobs!)
  const sampler = values.sampler as BenchSamplerName
  if (!BENCH_SAMPLERS.includes(sampler))
    throw new UsageError(`--sampler must be one of ${BENCH_SAMPLERS.join(', ')}, but got ${values.sampler}.`)
  const variants = values.variants!.split(',').map((name) => {
    const v = findVariant(name.trim())
    if (v === undefined)
      throw new UsageError(
        `Unknown variant "${name}". Choose from ${VARIANTS.map((x) => x.name).join(', ')}, auto, or sha:m<min%>:e<η>:s<window>[:uni] (custom-variant.ts).`,
      )
    return v
  })
  const problemNames: string[] = []
  const p = getProblem(values.problem!)
  if (!isCurveProblem(p))
    throw new UsageError(`Problem "${values.problem}" reports no learning curves; use lora-sft-curves.`)
  problemNames.push(values.problem!)
  if (values.curves !== undefined) {
    if (existsSync(values.curves)) problemNames.push(`curves:${values.curves}`)
    else console.log(`(--curves ${values.curves} does not exist: skipping the real-curve runs)`)
  }
  for (const problem of problemNames) {
    const curveProblem = problem.startsWith('curves:')
      ? loadRecordedCurves(problem.slice(7))
      : (getProblem(problem) as typeof p & { maxStep: number })
    const tasks: SchedulerTask[] = []
    for (const v of variants)
      for (let s = firstSeed; s < firstSeed + seeds; s++)
        tasks.push({ variant: v.name, seed: s, budget, problem, sampler })
    console.log(
      `${problem}: ${tasks.length} runs (${variants.length} schedulers x ${seeds} seeds), sampler ${sampler}, budget ${budget} steps, ${jobs} jobs`,
    )
    const runs = await runInWorkers<SchedulerTask, SchedulerRun>(
      new URL('./worker.ts', import.meta.url),
      tasks,
      jobs,
      (r, done) => {
        if (values.out) appendFileSync(values.out, `${JSON.stringify(r)}\n`)
        if (done % 10 === 0 || done === tasks.length) process.stderr.write(`  ${done}/${tasks.length}\n`)
      },
    )
    const checkpoints = [Math.round(budget / 4), Math.round(budget / 2), budget]
    const summaries = variants.map((v) =>
      summarise(
        v.name,
        runs.filter((r) => r.variant === v.name),
        curveProblem.fstar,
        checkpoints,
      ),
    )
    console.log(
      `\n### ${curveProblem.name}: seeds ${firstSeed}–${firstSeed + seeds - 1}, ${sampler} sampler, ${budget}-step budget${firstSeed === 0 ? '' : ' (the Optuna rows are the anchor, seeds 0–19)'}\n`,
    )
    console.log(
      formatTable(summaries, variants, budget, checkpoints, problem === 'lora-sft-curves' && budget === 10000),
    )
    console.log()
  }
}

function positiveInt(name: string, s: string): number {
  const n = Number(s)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, but got "${s}".`)
  return n
}

main().catch((e) => {
  console.error(e instanceof UsageError ? e.message : e)
  process.exit(e instanceof UsageError ? 2 : 1)
})
