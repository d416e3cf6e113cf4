import type { ParamValues } from '../distributions/distribution.ts'
import type { StudyInfo } from '../storage.ts'
import type { FrozenTrial, TrialId } from '../trial/frozen-trial.ts'

/**
 * Population-based training's instruction to a trial that keeps going: restart from `fromTrial`'s latest
 * checkpoint with `params` (a perturbation of that trial's parameters). The runner ends the trial (PRUNED) and
 * queues a new one with `params` that resumes from a copy of the checkpoint, recording its lineage in
 * `systemAttrs.pbt = { parent, donor, step, checkpointStep }`; a runner that cannot do this treats the
 * decision as a plain `continue`.
 */
export interface Exploit {
  readonly fromTrial: TrialId
  readonly params: ParamValues
  /** The interval boundary (step) at which the trial was exploited. */
  readonly step?: number
}

/**
 * What a scheduler tells a running trial after a report. A decision, not a boolean, so that
 * promotion-based schedulers (ASHA, Hyperband) can pause a trial and resume it later.
 */
export type Decision =
  | { readonly action: 'continue'; readonly exploit?: Exploit; readonly reason?: string }
  | { readonly action: 'prune'; readonly reason: string }
  | { readonly action: 'pause'; readonly rung: number; readonly reason?: string }

/** A paused trial to resume, and the resource (steps, epochs, data fraction) to train it to. */
export interface Promotion {
  readonly trialId: TrialId
  readonly target: number
}

/** What a scheduler sees: the study and a snapshot of its trials (the deciding trial included). */
export interface SchedulingContext {
  readonly study: StudyInfo
  readonly history: readonly FrozenTrial[]
}

/**
 * Decides whether a trial that just reported keeps going. Median, percentile, threshold, patient and
 * Wilcoxon pruners never pause; successive halving / ASHA / Hyperband in promotion mode pause trials at
 * rungs and list the paused trials to resume in `promotions`.
 *
 * Decisions depend only on the context (deterministic), so any worker can make them.
 */
export interface Scheduler {
  readonly name: string
  /**
   * True when `decide` can pause trials (promotion mode): a paused trial is stopped and resumed later from its
   * checkpoint, which needs a runner that can restart training (`winnow tune`), not an in-process `optimize`.
   */
  readonly pauses?: boolean
  /** Called after `trial` reported its latest intermediate value (already in `trial.intermediate`). */
  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision
  /** Promotion-based schedulers: paused trials to resume now, best first. */
  promotions?(ctx: SchedulingContext): readonly Promotion[]
  /** The resource a new trial should train to before its first decision (first rung); undefined = full. */
  initialTarget?(ctx: SchedulingContext, trial: FrozenTrial): number | undefined
  /**
   * Multi-fidelity schedulers: the resources at which trials are compared (rungs), lowest first, ending with
   * full fidelity. Used by `MultiFidelitySampler` and the rank-transfer analysis.
   */
  rungResources?(): readonly number[]
}

/** A scheduler that never stops anything. */
export const noScheduler: Scheduler = {
  name: 'none',
  decide: () => ({ action: 'continue' }),
}
