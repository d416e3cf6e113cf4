import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { directionOf, lastStep, previousStep } from './history.ts'
import { type ResolvedResource, type Resource, resolveResource, rungResources } from './resource.ts'
import { RungLadder } from './rung-ladder.ts'
import type { Decision, Promotion, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkInt, checkNumber, checkThat } from './scheduler-options.ts'

/**
 * How successive halving acts at a rung. `stopping`: the trial keeps running and is cut at a rung when it is not
 * in the top 1/η there (Optuna's `SuccessiveHalvingPruner`, Ray's ASHA in stopping mode). `promotion`: the trial
 * pauses at every rung and is resumed (from its checkpoint) when it ranks in the top 1/η of its rung (ASHA as in
 * Li et al. 2020).
 */
export type HalvingMode = 'stopping' | 'promotion'

/** Options of `SuccessiveHalvingScheduler`. */
export interface SuccessiveHalvingSchedulerOptions {
  /** Rungs at min·η^k below max, in the unit trials report as `step`. */
  readonly resource: Resource
  /** @default 'stopping' */
  readonly mode?: HalvingMode
  /** Skip the first e rungs (start at min·η^e); Hyperband's bracket offset. @default 0 */
  readonly minEarlyStoppingRate?: number
  /**
   * Reports averaged into a trial's value at a rung: the report at the rung and up to `smoothing − 1` before it,
   * counting only reports past half the rung's resource (the start of a curve is not its level). Noisy learning
   * curves (per-report evaluation noise) then rank on their level, not on one lucky report. 1 is Optuna's rule
   * (the single report at the rung). @default 1
   */
  readonly smoothing?: number
  /**
   * Stopping mode: a trial below the rung's cut survives while it is within `confidence` standard deviations of
   * the rung's scatter (see `RungLadder.noiseMargin`), so trials the rung cannot tell apart are not cut at random.
   * 0 is the plain rank rule. @default 0
   */
  readonly confidence?: number
}

const OPTION_NAMES = {
  resource: true,
  mode: true,
  minEarlyStoppingRate: true,
  smoothing: true,
  confidence: true,
} satisfies OptionNames<SuccessiveHalvingSchedulerOptions>

/**
 * Asynchronous successive halving (ASHA). Rungs sit at `min · η^k` below `max`; at each rung a trial must rank in
 * the top 1/η of the trials that reached it so far.
 *
 * In `stopping` mode a trial that fails a rung is pruned (same rule as Optuna's `SuccessiveHalvingPruner`). In
 * `promotion` mode a new trial trains to the first rung (`initialTarget`) and pauses there; `promotions` lists
 * the paused trials that now rank in the top 1/η of their rung, with the next rung's resource as target. The
 * runner resumes them (PAUSED → WAITING with `systemAttrs.target`, a compare-and-set, so a promotion happens
 * once). All bookkeeping comes from the trials themselves (see `RungLadder`).
 *
 * @example
 * const asha = new SuccessiveHalvingScheduler({ resource: { kind: 'steps', min: 100, max: 2700, reductionFactor: 3 }, mode: 'promotion' })
 */
export class SuccessiveHalvingScheduler implements Scheduler {
  readonly name: string
  readonly mode: HalvingMode
  readonly resource: ResolvedResource
  readonly pauses: boolean
  /** The rung bookkeeping (rung resources, promotion rule). */
  readonly ladder: RungLadder
  readonly confidence: number

  constructor(opts: SuccessiveHalvingSchedulerOptions, owner = 'SuccessiveHalvingScheduler') {
    checkOptionNames(owner, opts, OPTION_NAMES)
    this.resource = resolveResource(owner, opts.resource)
    this.mode = opts.mode ?? 'stopping'
    checkThat(
      this.mode === 'stopping' || this.mode === 'promotion',
      owner,
      'mode',
      `must be 'stopping' or 'promotion', but got ${String(this.mode)}.`,
    )
    this.pauses = this.mode === 'promotion'
    const rate = checkInt(owner, 'minEarlyStoppingRate', opts.minEarlyStoppingRate ?? 0, 0)
    const smoothing = checkInt(owner, 'smoothing', opts.smoothing ?? 1, 1)
    this.confidence = checkNumber(owner, 'confidence', opts.confidence ?? 0, { min: 0 })
    this.ladder = new RungLadder(
      rungResources(this.resource, rate),
      this.resource.max,
      this.resource.reductionFactor,
      smoothing,
    )
    this.name = `asha-${this.mode}`
  }

  /** Rung resources, lowest first, followed by full fidelity. */
  rungResources(): readonly number[] {
    return [...this.ladder.rungs, this.resource.max]
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    return this.mode === 'stopping' ? this.decideStopping(ctx, trial) : this.decidePromotion(trial)
  }

  promotions(ctx: SchedulingContext): readonly Promotion[] {
    if (this.mode !== 'promotion') return []
    return this.ladder.promotions(ctx.history, directionOf(ctx))
  }

  initialTarget(): number | undefined {
    return this.mode === 'promotion' ? (this.ladder.rungs[0] ?? this.resource.max) : undefined
  }

  /** Judges every rung the latest report crossed; the first one failed prunes. */
  private decideStopping(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const step = lastStep(trial)
    if (step === undefined) return { action: 'continue' }
    // A report at full fidelity is a result, not a rung: the training is paid for, and a trial whose reports skip
    // the top rung (data fractions 0.1, 0.3, 1 against rungs 0.1, 0.3, 0.9) must not be judged there.
    if (step >= this.resource.max) return { action: 'continue' }
    const prev = previousStep(trial)
    const last = trial.intermediate[trial.intermediate.length - 1].value
    const direction = directionOf(ctx)
    // The deciding trial may be newer than its copy in the history; use the fresh one.
    const group = [...ctx.history.filter((t) => t.id !== trial.id), trial]
    for (let k = 0; k < this.ladder.rungs.length; k++) {
      const r = this.ladder.rungs[k]
      if (!(prev < r && r <= step)) continue
      if (Number.isNaN(last)) return { action: 'prune', reason: `reported NaN at rung ${k} (${r})` }
      const value = this.ladder.valueAt(trial, k) ?? last
      const values = this.ladder.reached(group, k).map((x) => x.value)
      const margin = this.ladder.noiseMargin(group, k, this.confidence)
      if (!this.ladder.survives(value, values, direction, margin)) {
        const keep = Math.max(1, Math.floor(values.length / this.resource.reductionFactor))
        const beyond =
          margin > 0 ? `, and behind the cut by more than the rung's noise margin ${margin.toPrecision(3)}` : ''
        return {
          action: 'prune',
          reason: `not in the top ${keep} of ${values.length} trials at rung ${k} (${r})${beyond}`,
        }
      }
    }
    return { action: 'continue' }
  }

  /** Pauses a trial that reached the target it was launched with, unless that target is full fidelity. */
  private decidePromotion(trial: FrozenTrial): Decision {
    const step = lastStep(trial)
    if (step === undefined) return { action: 'continue' }
    const value = trial.intermediate[trial.intermediate.length - 1].value
    if (Number.isNaN(value)) return { action: 'prune', reason: `reported NaN at step ${step}` }
    const target = this.ladder.currentTarget(trial)
    if (target >= this.resource.max || step < target) return { action: 'continue' }
    const k = this.ladder.rungAt(step)
    if (k < 0) return { action: 'continue' }
    return { action: 'pause', rung: k, reason: `reached rung ${k} (${this.ladder.rungs[k]}); waits for promotion` }
  }
}
