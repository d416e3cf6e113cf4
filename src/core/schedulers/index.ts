// Schedulers (pruners): the interface, the strategies, and the multi-fidelity helpers.

export {
  DEFAULT_FIRST_RUNG_DIVISOR,
  DEFAULT_REDUCTION_FACTOR,
  DEFAULT_SMOOTHING,
  type DefaultSchedulerResource,
  defaultScheduler,
} from './default-scheduler.ts'
export { type FidelityHistoryOptions, type FidelityView, fidelityHistory } from './fidelity-history.ts'
export { HyperbandScheduler, type HyperbandSchedulerOptions } from './hyperband-scheduler.ts'
export { MedianScheduler, type MedianSchedulerOptions } from './median-scheduler.ts'
export { MultiFidelitySampler, type MultiFidelitySamplerOptions } from './multi-fidelity-sampler.ts'
export { PatientScheduler, type PatientSchedulerOptions } from './patient-scheduler.ts'
export { PbtScheduler, type PbtSchedulerOptions } from './pbt-scheduler.ts'
export { PercentileScheduler, type PercentileSchedulerOptions } from './percentile-scheduler.ts'
// Resources and multi-fidelity sampling (BOHB-style).
export { type Resource, type ResourceKind, resolveResource, rungResources } from './resource.ts'
export { RungLadder } from './rung-ladder.ts'
export type { Decision, Exploit, Promotion, Scheduler, SchedulingContext } from './scheduler.ts'
export { noScheduler } from './scheduler.ts'
export {
  type HalvingMode,
  SuccessiveHalvingScheduler,
  type SuccessiveHalvingSchedulerOptions,
} from './successive-halving-scheduler.ts'
export { ThresholdScheduler, type ThresholdSchedulerOptions } from './threshold-scheduler.ts'
export { WilcoxonScheduler, type WilcoxonSchedulerOptions } from './wilcoxon-scheduler.ts'
