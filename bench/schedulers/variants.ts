/**
 * The scheduler configurations the benchmark compares, each a factory of (scheduler, sampler) for a seed. The
 * anchor's settings are reused where Optuna has a counterpart (run_pruners.py's PRUNER_ARGS), so rows compare
 * like with like: MedianPruner(n_startup_trials=5, n_warmup_steps=10), SuccessiveHalvingPruner(min_resource=5,
 * reduction_factor=4), HyperbandPruner(min_resource=5, max_resource=100, reduction_factor=3).
 */
import type { Sampler } from '../../src/core/samplers/sampler.ts'
import type { TpeSamplerOptions } from '../../src/core/samplers/tpe/tpe-options.ts'
import { defaultScheduler } from '../../src/core/schedulers/default-scheduler.ts'
import { HyperbandScheduler } from '../../src/core/schedulers/hyperband-scheduler.ts'
import { MedianScheduler } from '../../src/core/schedulers/median-scheduler.ts'
import { MultiFidelitySampler } from '../../src/core/schedulers/multi-fidelity-sampler.ts'
import { noScheduler, type Scheduler } from '../../src/core/schedulers/scheduler.ts'
import { SuccessiveHalvingScheduler } from '../../src/core/schedulers/successive-halving-scheduler.ts'

/** The samplers a scheduler run can use: the anchor's TPE, random, Winnow's default (`auto`), or GP alone. */
export type BenchSamplerName = 'tpe' | 'random' | 'auto' | 'gp'
export const BENCH_SAMPLERS: readonly BenchSamplerName[] = ['tpe', 'random', 'auto', 'gp']

/** One benchmarked configuration. */
export interface Variant {
  name: string
  /** What it is, printed under the table. */
  describe: string
  /** Optuna anchor row it compares with (`pruners.jsonl` pruner name). */
  anchor?: string
  /** `sampler(opts)` builds the run's sampler (TPE with these options when the run's sampler is TPE). */
  make(maxStep: number, sampler: (tpe?: TpeSamplerOptions) => Sampler): { scheduler: Scheduler; sampler: Sampler }
}

/** The first rung: 5 of 100 steps as in the anchor, scaled for curves of another length. */
const firstRung = (maxStep: number) => Math.max(1, Math.round(maxStep / 20))

const asha = (maxStep: number, mode: 'stopping' | 'promotion', eta = 4) =>
  new SuccessiveHalvingScheduler({
    resource: { kind: 'steps', min: firstRung(maxStep), max: maxStep, reductionFactor: eta },
    mode,
  })

/** Every variant, in table order. More can be named on the command line (custom-variant.ts). */
export const VARIANTS: readonly Variant[] = [
  {
    name: 'auto',
    describe:
      'defaultScheduler({ max: 100 }) = stopping ASHA, rungs 5/20/80 (η 4), rung values averaged over 5 reports; default TPE (`scheduler: auto`)',
    anchor: 'sha',
    make: (m, s) => ({ scheduler: defaultScheduler({ kind: 'steps', max: m }), sampler: s() }),
  },
  {
    name: 'none',
    describe: 'no pruning',
    anchor: 'nop',
    make: (_m, s) => ({ scheduler: noScheduler, sampler: s() }),
  },
  {
    name: 'median',
    describe: 'MedianScheduler({ nStartupTrials: 5, nWarmupSteps: 10, intervalSteps: 1 })',
    anchor: 'median',
    make: (_m, s) => ({
      scheduler: new MedianScheduler({ nStartupTrials: 5, nWarmupSteps: 10, intervalSteps: 1 }),
      sampler: s(),
    }),
  },
  {
    name: 'asha-stopping',
    describe: "SuccessiveHalvingScheduler({ resource: { min: 5, max: 100, reductionFactor: 4 }, mode: 'stopping' })",
    anchor: 'sha',
    make: (m, s) => ({ scheduler: asha(m, 'stopping'), sampler: s() }),
  },
  {
    name: 'asha-promotion',
    describe: "SuccessiveHalvingScheduler({ resource: { min: 5, max: 100, reductionFactor: 4 }, mode: 'promotion' })",
    make: (m, s) => ({ scheduler: asha(m, 'promotion'), sampler: s() }),
  },
  {
    name: 'hyperband',
    describe: "HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 }, mode: 'stopping' })",
    anchor: 'hyperband',
    make: (m, s) => ({
      scheduler: new HyperbandScheduler({ resource: { kind: 'steps', min: firstRung(m), max: m, reductionFactor: 3 } }),
      sampler: s(),
    }),
  },
  {
    name: 'model-based',
    describe:
      'asha-promotion + MultiFidelitySampler(sampler) (BOHB-style: model on the highest rung with >= d+1 points)',
    make: (m, s) => {
      const scheduler = asha(m, 'promotion')
      return { scheduler, sampler: new MultiFidelitySampler(s(), { levels: scheduler }) }
    },
  },
  {
    name: 'model-based-stopping',
    describe: 'asha-stopping + MultiFidelitySampler(sampler)',
    make: (m, s) => {
      const scheduler = asha(m, 'stopping')
      return { scheduler, sampler: new MultiFidelitySampler(s(), { levels: scheduler }) }
    },
  },
  {
    name: 'model-based-stopping-eta3',
    describe: 'asha-stopping with reductionFactor 3 + MultiFidelitySampler(sampler)',
    make: (m, s) => {
      const scheduler = asha(m, 'stopping', 3)
      return { scheduler, sampler: new MultiFidelitySampler(s(), { levels: scheduler }) }
    },
  },
  {
    name: 'model-based-hyperband',
    describe: 'hyperband + MultiFidelitySampler(sampler)',
    make: (m, s) => {
      const scheduler = new HyperbandScheduler({
        resource: { kind: 'steps', min: firstRung(m), max: m, reductionFactor: 3 },
      })
      return { scheduler, sampler: new MultiFidelitySampler(s(), { levels: scheduler }) }
    },
  },
]
