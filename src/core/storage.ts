import type { Distribution, ParamValues } from './distributions/distribution.ts'
import type { Json } from './json.ts'
import type { Direction, FrozenTrial, StudyId, TrialId } from './trial/frozen-trial.ts'
import type { TrialState } from './trial/trial-state.ts'

/** A study as stored. */
export interface StudyInfo {
  readonly id: StudyId
  readonly name: string
  /** One direction per objective; several means multi-objective. */
  readonly directions: readonly Direction[]
  /** Names of the objectives, in the order of `directions` (e.g. ["eval_loss"]). */
  readonly metricNames: readonly string[]
  readonly userAttrs: Readonly<Record<string, Json>>
  /** Winnow's own attributes: study file, sampler/scheduler settings, seed, links to other studies, … */
  readonly systemAttrs: Readonly<Record<string, Json>>
  /** Epoch milliseconds. */
  readonly createdAt: number
}

/** What `createStudy` needs. */
export interface NewStudy {
  readonly name: string
  readonly directions: readonly Direction[]
  readonly metricNames?: readonly string[]
  readonly userAttrs?: Readonly<Record<string, Json>>
  readonly systemAttrs?: Readonly<Record<string, Json>>
}

/** A study with its trial counts, for listings. */
export interface StudySummary extends StudyInfo {
  readonly counts: Readonly<Record<TrialState, number>>
}

/** The initial contents of a new trial. */
export interface NewTrial {
  /** RUNNING (asked now; the default) or WAITING (queued: baseline, grid point, retry). */
  readonly state?: 'RUNNING' | 'WAITING'
  readonly params?: ParamValues
  readonly distributions?: Readonly<Record<string, Distribution>>
  readonly userAttrs?: Readonly<Record<string, Json>>
  readonly systemAttrs?: Readonly<Record<string, Json>>
}

/** Options of a state change. */
export interface StateChange {
  /** Objective values; required for COMPLETE, one per direction, finite. */
  readonly values?: readonly number[]
  /** System attributes written in the same transaction (costs, exit info, checkpoint, …). */
  readonly systemAttrs?: Readonly<Record<string, Json>>
  /** Compare-and-set: fail with a TrialStateError unless the trial is in this state now. */
  readonly expectedState?: TrialState
}

/** The trials that changed after a version, and the study version they were read at. */
export interface TrialChanges {
  readonly trials: readonly FrozenTrial[]
  readonly version: number
}

/** Filters for `listTrials`. */
export interface TrialFilter {
  readonly states?: readonly TrialState[]
  /** Only trials whose last change is newer than this study version (incremental reads). */
  readonly sinceVersion?: number
}

/**
 * Where studies and trials live. Every coordination between workers goes through it.
 *
 * Invariants every implementation keeps (checked by `describeStorageContract` in `src/testing/`):
 * - Returned objects are snapshots; mutating them changes nothing stored.
 * - Trial numbers are unique and dense per study (0, 1, 2, …) under any number of concurrent writers.
 * - Finished trials (COMPLETE, PRUNED, FAIL) never change again; every state change follows
 *   `canTransition` and is checked inside the write transaction.
 * - `claimWaitingTrial` hands each WAITING trial to exactly one caller.
 * - Every write bumps the study's `version`, and the changed trial records it, so
 *   `listTrials(study, { sinceVersion })` returns exactly what changed since a previous read.
 * - Study names are unique; ids are never reused.
 */
export interface Storage {
  /** A printable location, e.g. `sqlite:winnow.db`, without secrets. */
  readonly url: string

  /** Creates a study; with `loadIfExists` returns the existing one instead of throwing StudyExistsError. */
  createStudy(spec: NewStudy, opts?: { loadIfExists?: boolean }): Promise<{ study: StudyInfo; created: boolean }>
  /** The study with this name, or undefined. */
  findStudy(name: string): Promise<StudyInfo | undefined>
  /** The study with this id; StudyNotFoundError when missing. */
  getStudy(id: StudyId): Promise<StudyInfo>
  /** All studies with trial counts per state, oldest first. */
  listStudies(): Promise<StudySummary[]>
  /** Deletes a study and all its trials. */
  deleteStudy(id: StudyId): Promise<void>
  /** Merges attributes into the study's user or system attributes. */
  setStudyAttrs(id: StudyId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void>

  /** Creates a trial with the next number of the study. */
  createTrial(study: StudyId, init?: NewTrial): Promise<FrozenTrial>
  /** Atomically moves the oldest WAITING trial to RUNNING and returns it; undefined when none waits. */
  claimWaitingTrial(study: StudyId): Promise<FrozenTrial | undefined>
  /** Sets parameters of an unfinished trial; re-setting a parameter to a different value is an error. */
  setTrialParams(
    trial: TrialId,
    params: ParamValues,
    distributions: Readonly<Record<string, Distribution>>,
  ): Promise<void>
  /** Merges attributes into an unfinished trial. */
  setTrialAttrs(trial: TrialId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void>
  /** Records the objective's value at a step of an unfinished trial (a later report of the same step replaces it). */
  reportIntermediate(trial: TrialId, step: number, value: number): Promise<void>
  /** Moves a trial to another state, checked against the state machine in the same transaction. */
  setTrialState(trial: TrialId, to: TrialState, change?: StateChange): Promise<FrozenTrial>
  /** Records that the trial's worker is alive. */
  heartbeat(trial: TrialId): Promise<void>
  /** The trial with this id; WinnowError 'trial_not_found' when missing. */
  getTrial(trial: TrialId): Promise<FrozenTrial>
  /** Trials of a study ordered by number, optionally only those changed since a version. */
  listTrials(study: StudyId, filter?: TrialFilter): Promise<TrialChanges>
  /**
   * Moves RUNNING trials whose last heartbeat (or start) is older than `staleBefore` (epoch ms) back to
   * WAITING, keeping their parameters, intermediate values and attributes, and returns them.
   */
  requeueStaleTrials(study: StudyId, staleBefore: number): Promise<FrozenTrial[]>

  /** Releases connections; idempotent. */
  close(): Promise<void>
}
