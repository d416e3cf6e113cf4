/**
 * Sampler benchmark: `npm run bench:samplers -- [--problems a,b] [--samplers random,tpe] [--seeds N] [--first-seed S] [--budget N]
 * [--batch N] [--out file.jsonl] [--problem-module path] [--jobs 2] [--overhead]`.
 *
 * Runs every (problem, sampler, seed) with a real Study + MemoryStorage, writes one JSON line per run in the
 * anchor's `sampler_run` schema, and prints median final regret and time per trial beside Optuna's anchor.
 * `--overhead` instead runs bench/samplers/overhead.ts (time of ask + 10 suggestions after 1000 / 2000 trials).
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { UsageError } from '../../src/core/errors.ts'
import { benchArgs } from '../bench-args.ts'
import { getProblem, loadProblemModule, problems } from '../problems/index.ts'
import { runInWorkers } from '../worker-pool.ts'
import { parseSamplerSpec, splitSpecs } from './registry.ts'
import type { WinnowRunRecord } from './run-one.ts'
import { formatTables } from './table.ts'
import type { RunTask } from './worker.ts'

const USAGE =
  'Usage: npm run bench:samplers -- [--problems a,b] [--samplers random,tpe] [--seeds N] [--first-seed S] [--budget N] [--batch N] [--out file.jsonl] [--problem-module path] [--jobs 2] [--overhead]'

const DEFAULT_PROBLEMS = [
  'branin',
  'hartmann3',
  'hartmann6',
  'rosenbrock4',
  'ackley5',
  'styblinski_tang8',
  'levy10',
  'lora-sft-surrogate',
]

async function main(): Promise<void> {
  const values = benchArgs(USAGE, {
    problems: { type: 'string' },
    samplers: { type: 'string', default: 'random,tpe' },
    seeds: { type: 'string', default: '10' },
    'first-seed': { type: 'string', default: '0' },
    budget: { type: 'string', default: '100' },
    batch: { type: 'string', default: '1' },
    out: { type: 'string' },
    'problem-module': { type: 'string' },
    jobs: { type: 'string', default: '2' },
    overhead: { type: 'boolean', default: false },
  })
  if (values.overhead) {
    const { runOverhead } = await import('./overhead.ts')
    await runOverhead()
    return
  }
  const moduleProblems = values['problem-module'] ? await loadProblemModule(values['problem-module']) : {}
  const from = { ...problems, ...moduleProblems }
  const names = values.problems
    ? values.problems.split(',').map((s) => s.trim())
    : values['problem-module']
      ? Object.keys(moduleProblems)
      : DEFAULT_PROBLEMS
  for (const n of names) getProblem(n, from)
  const specs = splitSpecs(values.samplers!).map(parseSamplerSpec)
  const seeds = positiveInt('seeds', values.seeds!)
  const firstSeed = Number(values['first-seed'])
  if (!Number.isInteger(firstSeed) || firstSeed < 0)
    throw new UsageError(`--first-seed must be a whole number >= 0, but got "${values['first-seed']}".`)
  const budget = positiveInt('budget', values.budget!)
  const batch = positiveInt('batch', values.batch!)
  const jobs = positiveInt('jobs', values.jobs!)
  const tasks: RunTask[] = []
  for (const problem of names)
    for (const s of specs)
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++)
        tasks.push({ problem, sampler: s.label, seed, budget, batch, problemModule: values['problem-module'] })
  if (values.out) mkdirSync(dirname(values.out), { recursive: true })
  console.log(
    `${tasks.length} runs (${names.length} problems × ${specs.length} samplers × ${seeds} seeds from ${firstSeed}), ${jobs} jobs${firstSeed === 0 ? '' : ' (the Optuna columns are the anchor, seeds 0–19)'}`,
  )
  const t0 = performance.now()
  const runs = await runInWorkers<RunTask, WinnowRunRecord>(
    new URL('./worker.ts', import.meta.url),
    tasks,
    jobs,
    (rec, done) => {
      if (values.out) appendFileSync(values.out, `${JSON.stringify(rec)}\n`)
      if (done % 20 === 0 || done === tasks.length)
        console.log(`${done}/${tasks.length} done, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    },
  )
  console.log('')
  console.log(formatTables(runs, budget))
}

function positiveInt(name: string, v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, but got "${v}".`)
  return n
}

main().catch((e) => {
  console.error(e instanceof UsageError ? e.message : e)
  process.exit(e instanceof UsageError ? 2 : 1)
})
