import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import type { Json } from '../json.ts'
import type { Rng } from '../rng.ts'
import type { StudyInfo } from '../storage.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/**
 * What a sampler sees when it proposes values: a snapshot, never the storage.
 * `history` holds every other trial of the study (RUNNING ones too, so a sampler can avoid
 * proposing what a parallel worker is already running); `rng` is seeded from (study seed, trial number).
 */
export interface SamplingContext {
  readonly study: StudyInfo
  readonly trial: FrozenTrial
  readonly history: readonly FrozenTrial[]
  readonly rng: Rng
  /**
   * The space the caller will suggest, when it is known before sampling (`study.ask(space)`, or the space a study
   * file declares). It may differ from what earlier trials were sampled from (a narrowed follow-up of the same
   * study); a model-based sampler can then model the old trials and still propose inside the new space.
   */
  readonly space?: SearchSpace
  /**
   * Records system attributes on the trial being sampled (e.g. a generation tag), so a sampler can rebuild its
   * state from the history alone instead of keeping it in memory. Honoured during `inferRelativeSpace` and
   * `sampleRelative`: the study writes them before `ask` returns. Absent in contexts that cannot write
   * (e.g. `afterTrial`); samplers must tolerate that.
   */
  readonly setTrialSystemAttrs?: (attrs: Readonly<Record<string, Json>>) => void
}

/**
 * Proposes parameter values. The split follows Optuna's proven design:
 *
 * 1. When a trial is asked, `inferRelativeSpace` names the parameters the sampler wants to sample jointly
 *    (usually those every finished trial shares), then `sampleRelative` proposes values for them at once.
 * 2. Each `suggest*` call for a parameter not covered by the relative sample goes to `sampleIndependent`.
 * 3. `afterTrial`, when present, is called once a trial that this process told has finished.
 *
 * Samplers are deterministic given the context: no Math.random(), no clocks.
 */
export interface Sampler {
  readonly name: string
  inferRelativeSpace(ctx: SamplingContext): SearchSpace
  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues
  sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue
  afterTrial?(ctx: SamplingContext, finished: FrozenTrial): void
  /**
   * Configurations the study should queue that no trial of `history` carries yet (e.g. every point of a grid when
   * the study is created, the new points when its space grew, all of them for a study `winnow focus` made). Study
   * creation and loading queue them. A sampler that returns them is finite: `isExhausted` tells the study when
   * nothing is left to hand out.
   */
  pointsToQueue?(history: readonly FrozenTrial[]): readonly ParamValues[]
  /**
   * The point of `pointsToQueue` every other one is measured from (a one-at-a-time sweep's centre): `Study.create`
   * queues it as the study's baseline when it is given no `baseline`, so results get their gains over it.
   */
  initialBaseline?(): ParamValues | undefined
  /** True when a finite sampler has nothing left to propose. */
  isExhausted?(history: readonly FrozenTrial[]): boolean
}
