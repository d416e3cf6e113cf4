/**
 * The option objects of `Study.create`, `Study.load` and `tell`, with their names for `checkOptionNames`.
 *
 * @module
 */
import type { ParamValues } from '../distributions/distribution.ts'
import type { Json } from '../json.ts'
import type { OptionNames } from '../option-names.ts'
import type { Sampler } from '../samplers/sampler.ts'
import type { Scheduler } from '../schedulers/scheduler.ts'
import type { Storage } from '../storage.ts'
import type { Direction } from '../trial/frozen-trial.ts'
import type { FinishedState } from '../trial/trial-state.ts'

/** Options of `Study.create`. */
export interface CreateStudyOptions {
  readonly storage: Storage
  readonly name: string
  /** @default ['minimize'] */
  readonly directions?: readonly Direction[]
  /** Objective names, one per direction. @default ['value'] or ['value0', 'value1', …] */
  readonly metricNames?: readonly string[]
  /** @default AutoSampler (as `sampler: auto` in a study file) */
  readonly sampler?: Sampler
  /** @default no pruning */
  readonly scheduler?: Scheduler
  /** Seed of every random choice of the study; stored with it (a loaded study keeps its stored seed). @default a random seed */
  readonly seed?: number
  /** Continue the study when it exists instead of failing. @default false */
  readonly loadIfExists?: boolean
  /**
   * The baseline configuration, queued on creation as trial #0 (before a grid's or a sweep's points; a point equal
   * to it is not queued twice): every result is reported against it. With `loadIfExists`, a study whose baseline
   * trials all failed queues this one again (a fixed setup, or a corrected baseline, gets its reference); a process
   * joining a study that another one set up (a worker) should leave it out, so it re-queues nothing.
   */
  readonly baseline?: ParamValues
  /**
   * With `loadIfExists`: queue the points of a finite sampler (grid, sweep) the loaded study lacks — a study
   * `winnow focus` made, or one whose space grew. Only for the process that sets the study up (`winnow tune` does,
   * workers do not): two processes doing it at the same moment could queue a point twice. @default false
   */
  readonly queueMissingPoints?: boolean
  readonly userAttrs?: Readonly<Record<string, Json>>
  readonly systemAttrs?: Readonly<Record<string, Json>>
}

/** Options of `Study.load`. */
export interface LoadStudyOptions {
  readonly storage: Storage
  readonly name: string
  /**
   * The sampler to continue with. The storage keeps only the name of the one the study was created with
   * (`info.systemAttrs.sampler`), not its options: pass it again. @default AutoSampler
   */
  readonly sampler?: Sampler
  readonly scheduler?: Scheduler
}

/** Options of `Study.tell`. */
export interface TellOptions {
  /** PRUNED or FAIL instead of COMPLETE (then no values may be given: report them as intermediate values). */
  readonly state?: FinishedState
  /**
   * Constraint values; the trial is feasible when all are <= 0. A NaN (a constraint you could not check) counts as
   * broken: the trial is never the best and the samplers avoid its region.
   */
  readonly constraints?: readonly number[]
  readonly systemAttrs?: Readonly<Record<string, Json>>
}

export const CREATE_OPTION_NAMES = {
  storage: true,
  name: true,
  directions: true,
  metricNames: true,
  sampler: true,
  scheduler: true,
  seed: true,
  loadIfExists: true,
  baseline: true,
  queueMissingPoints: true,
  userAttrs: true,
  systemAttrs: true,
} satisfies OptionNames<CreateStudyOptions>

export const LOAD_OPTION_NAMES = {
  storage: true,
  name: true,
  sampler: true,
  scheduler: true,
} satisfies OptionNames<LoadStudyOptions>

export const TELL_OPTION_NAMES = {
  state: true,
  constraints: true,
  systemAttrs: true,
} satisfies OptionNames<TellOptions>
