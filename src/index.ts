// Winnow's public library surface. Whatever is not exported here is private.

export { findBaseline, gainOver } from './core/analysis/baseline.ts'
// Analysis
export { bestTrial, dominates, paretoFront } from './core/analysis/pareto.ts'
// Search spaces
export type {
  CategoricalChoice,
  Distribution,
  ParamValue,
  ParamValues,
  SearchSpace,
} from './core/distributions/distribution.ts'
export { categoricalDist, floatDist, intDist } from './core/distributions/distribution.ts'
// Errors
export {
  SearchSpaceError,
  StudyExistsError,
  StudyNotFoundError,
  TrialStateError,
  UsageError,
  WinnowError,
} from './core/errors.ts'
export { GridSampler, gridFromSpace } from './core/samplers/grid-sampler.ts'
export { RandomSampler } from './core/samplers/random-sampler.ts'

// Samplers and schedulers
export type { Sampler, SamplingContext } from './core/samplers/sampler.ts'
export type { Decision, Promotion, Scheduler, SchedulingContext } from './core/schedulers/scheduler.ts'
// Storage
export type { Storage, StudyInfo, StudySummary } from './core/storage.ts'
export type {
  CreateStudyOptions,
  LoadStudyOptions,
  ObjectiveResult,
  OptimizeOptions,
  TellOptions,
} from './core/study/study.ts'
// Study and trials
export { Study } from './core/study/study.ts'
export { Trial, TrialPruned } from './core/study/trial.ts'
export type { Direction, FrozenTrial, IntermediateValue, StudyId, TrialId } from './core/trial/frozen-trial.ts'
export type { FinishedState, TrialState } from './core/trial/trial-state.ts'
export { MemoryStorage } from './storage/memory/memory-storage.ts'
