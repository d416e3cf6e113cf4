// Winnow's public library surface. Whatever is not exported here is private.

export { findBaseline, gainOver } from './core/analysis/baseline.ts'
export { type CostSummary, computeCost } from './core/analysis/cost.ts'
export { type FocusOptions, type FocusResult, focusSpace } from './core/analysis/focus.ts'
export { hypervolume, hypervolumeOf } from './core/analysis/hypervolume.ts'
export {
  fanovaImportance,
  IMPORTANCE_METHODS,
  type ImportanceMethod,
  type ParamImportance,
  paramImportance,
  pedAnovaImportance,
  type SensitivityResult,
  sensitivity,
} from './core/analysis/importance/index.ts'
// Analysis
export { bestTrial, dominates, paretoFront } from './core/analysis/pareto.ts'
export { type RankTransfer, rankTransfer, rankTransferBetween } from './core/analysis/rank-transfer.ts'
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
  type ErrorCode,
  NotEnoughTrialsError,
  SamplerExhaustedError,
  SearchSpaceError,
  StudyExistsError,
  StudyNotFoundError,
  TrialStateError,
  UsageError,
  WinnowError,
} from './core/errors.ts'
export type { Json } from './core/json.ts'
export { AutoSampler, type AutoSamplerOptions } from './core/samplers/auto-sampler.ts'
export { CmaEsSampler, type CmaEsSamplerOptions } from './core/samplers/cmaes/cmaes-sampler.ts'
export type { GpSamplerOptions } from './core/samplers/gp/gp-options.ts'
export { GpSampler } from './core/samplers/gp/gp-sampler.ts'
export { GridSampler, type GridSamplerOptions, gridFromSpace } from './core/samplers/grid-sampler.ts'
export { Nsga2Sampler, type Nsga2SamplerOptions } from './core/samplers/nsga2/nsga2-sampler.ts'
export { OfatSampler, type OfatSamplerOptions } from './core/samplers/ofat-sampler.ts'
export { QmcSampler, type QmcSamplerOptions } from './core/samplers/qmc-sampler.ts'
export { RandomSampler } from './core/samplers/random-sampler.ts'
// Samplers and schedulers
export type { Sampler, SamplingContext } from './core/samplers/sampler.ts'
export type { TpeSamplerOptions } from './core/samplers/tpe/tpe-options.ts'
export { TpeSampler } from './core/samplers/tpe/tpe-sampler.ts'
export * from './core/schedulers/index.ts'
// Storage
export type {
  NewStudy,
  NewTrial,
  StateChange,
  Storage,
  StudyInfo,
  StudySummary,
  TrialChanges,
  TrialFilter,
} from './core/storage.ts'
export type { ObjectiveResult, OptimizeOptions } from './core/study/optimize.ts'
// Study and trials
export { Study } from './core/study/study.ts'
export type { CreateStudyOptions, LoadStudyOptions, TellOptions } from './core/study/study-options.ts'
export { Trial, TrialPruned } from './core/study/trial.ts'
export type { Direction, FrozenTrial, IntermediateValue, StudyId, TrialId } from './core/trial/frozen-trial.ts'
export type { FinishedState, TrialState } from './core/trial/trial-state.ts'
export { MemoryStorage } from './storage/memory/memory-storage.ts'
export { type OpenStorageOptions, openStorage } from './storage/open-storage.ts'
