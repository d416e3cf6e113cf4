/**
 * A scheduler-benchmark worker process: receives run tasks over IPC and answers with run records. Started by
 * main.ts with `--jobs N` so runs use several cores.
 */
import { AutoSampler } from '../../src/core/samplers/auto-sampler.ts'
import { GpSampler } from '../../src/core/samplers/gp/gp-sampler.ts'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import type { TpeSamplerOptions } from '../../src/core/samplers/tpe/tpe-options.ts'
import { TpeSampler } from '../../src/core/samplers/tpe/tpe-sampler.ts'
import { getProblem } from '../problems/index.ts'
import type { CurveProblem } from '../problems/types.ts'
import { findVariant } from './custom-variant.ts'
import { loadRecordedCurves } from './recorded-curves.ts'
import { simulateRun } from './simulate.ts'
import type { BenchSamplerName } from './variants.ts'

/** A unit of work sent to a worker. */
export interface SchedulerTask {
  variant: string
  seed: number
  budget: number
  /** A built-in curve problem name, or `curves:<path>` for a recorded-curves file. */
  problem: string
  sampler: BenchSamplerName
}

const problems = new Map<string, CurveProblem>()
function problemOf(name: string): CurveProblem {
  let p = problems.get(name)
  if (p === undefined) {
    p = name.startsWith('curves:') ? loadRecordedCurves(name.slice(7)) : (getProblem(name) as CurveProblem)
    problems.set(name, p)
  }
  return p
}

process.on('message', async (task: SchedulerTask) => {
  try {
    const problem = problemOf(task.problem)
    const variant = findVariant(task.variant)!
    const sampler = (opts?: TpeSamplerOptions) =>
      task.sampler === 'tpe'
        ? new TpeSampler(opts)
        : task.sampler === 'auto'
          ? new AutoSampler({ seed: task.seed, multiFidelity: task.variant !== 'none' }) // as `winnow tune` builds it
          : task.sampler === 'gp'
            ? new GpSampler({ seed: task.seed })
            : new RandomSampler()
    const rec = await simulateRun(problem, variant.name, variant.make(problem.maxStep, sampler), task.seed, task.budget)
    process.send!({ ok: true, rec })
  } catch (e) {
    process.send!({ ok: false, task, error: String((e as Error).stack ?? e) })
  }
})
process.send!({ ready: true })
