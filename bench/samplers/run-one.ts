/**
 * One benchmark run: a real `Study` on a `MemoryStorage`, driven by ask / evaluate / tell for `budget` trials
 * (seed = study seed = problem noise seed), recorded in the anchor's `sampler_run` schema
 * (shared/bench/anchors/optuna/results/README.md) so Winnow's lines sit beside Optuna's.
 */
import { cpus } from 'node:os'
import { Study } from '../../src/core/study/study.ts'
import type { Trial } from '../../src/core/study/trial.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import type { SamplerRunRecord } from '../problems/anchor-schema.ts'
import type { BenchProblem } from '../problems/index.ts'
import { createSampler, type SamplerSpec } from './registry.ts'

/** A Winnow run in the anchor's `sampler_run` shape (`anchor: "winnow"`). */
export interface WinnowRunRecord extends Omit<SamplerRunRecord, 'anchor' | 'tell_ms_median'> {
  anchor: 'winnow'
  tell_ms_median: number
  sampler_total_s: number
  wall_s: number
  env: { node: string; cpus: number; machine: string }
}

const r7 = (x: number) => Number(x.toPrecision(7))

/**
 * Runs `budget` trials of `problem` with the sampler of `spec`. With `batch` > 1, that many trials are asked
 * (each with its parameters written, so a parallel-aware sampler sees them RUNNING) before they are told.
 */
export async function runOne(
  problem: BenchProblem,
  spec: SamplerSpec,
  seed: number,
  budget: number,
  batch = 1,
): Promise<WinnowRunRecord> {
  const sampler = createSampler(spec, { seed, problem, budget })
  const study = await Study.create({ storage: new MemoryStorage(), name: 'bench', sampler, seed })
  let bestObs = Number.POSITIVE_INFINITY
  let bestClean = Number.POSITIVE_INFINITY
  const obsHist: number[] = []
  const cleanHist: number[] = []
  const sampleMs: number[] = []
  const tellMs: number[] = []
  const start = performance.now()
  for (let n = 0; n < budget; ) {
    const k = Math.min(batch, budget - n)
    const asked: Trial[] = []
    for (let i = 0; i < k; i++) {
      const t0 = performance.now()
      // ask(space) suggests every parameter and writes them, like Optuna's ask + suggest_* calls.
      asked.push(await study.ask(problem.space))
      sampleMs.push(performance.now() - t0)
    }
    for (const trial of asked) {
      const e = problem.evaluate(trial.suggested, seed)
      const t1 = performance.now()
      await study.tell(trial, e.observed)
      tellMs.push(performance.now() - t1)
      if (e.observed < bestObs) {
        bestObs = e.observed
        bestClean = e.clean
      }
      obsHist.push(r7(bestObs))
      cleanHist.push(r7(bestClean))
    }
    n += k
  }
  const wall = (performance.now() - start) / 1000
  tellMs.sort((a, b) => a - b)
  return {
    kind: 'sampler_run',
    anchor: 'winnow',
    problem: problem.name,
    sampler: batch > 1 ? `${spec.label}_b${batch}` : spec.label,
    seed,
    budget,
    batch,
    fstar: problem.fstar,
    final_best_observed: bestObs,
    final_best_clean: bestClean,
    final_regret: bestClean - problem.fstar,
    best_observed: problem.noisy ? obsHist : null,
    best_clean: cleanHist,
    sample_ms: sampleMs.map((x) => Number(x.toFixed(3))),
    tell_ms_median: Number(tellMs[tellMs.length >> 1].toFixed(4)),
    sampler_total_s: Number((sampleMs.reduce((a, b) => a + b, 0) / 1000).toFixed(4)),
    wall_s: Number(wall.toFixed(3)),
    env: { node: process.version, cpus: cpus().length, machine: process.arch },
  }
}
