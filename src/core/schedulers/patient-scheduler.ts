import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { directionOf } from './history.ts'
import type { Decision, Promotion, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkInt, checkNumber } from './scheduler-options.ts'

/** Options of `PatientScheduler` (Optuna's `PatientPruner`). */
export interface PatientSchedulerOptions {
  /** Reports without improvement to tolerate before the trial may be stopped. */
  readonly patience: number
  /** The improvement that counts as one (absolute, >= 0). @default 0 */
  readonly minDelta?: number
}

const OPTION_NAMES = { patience: true, minDelta: true } satisfies OptionNames<PatientSchedulerOptions>

/**
 * Stops a trial whose value has not improved over its last `patience` reports, or, when it wraps a scheduler,
 * lets that scheduler decide only once the trial has stalled (patience before pruning). Never pauses by itself.
 *
 * @example
 * const scheduler = new PatientScheduler(new MedianScheduler(), { patience: 3, minDelta: 0.001 })
 */
export class PatientScheduler implements Scheduler {
  readonly name: string
  private readonly patience: number
  private readonly minDelta: number

  constructor(
    private readonly wrapped: Scheduler | undefined,
    opts: PatientSchedulerOptions,
  ) {
    checkOptionNames('PatientScheduler', opts, OPTION_NAMES)
    this.patience = checkInt('PatientScheduler', 'patience', opts.patience, 0)
    this.minDelta = checkNumber('PatientScheduler', 'minDelta', opts.minDelta ?? 0, { min: 0 })
    this.name = wrapped === undefined ? 'patient' : `patient(${wrapped.name})`
  }

  get pauses(): boolean {
    return this.wrapped?.pauses === true
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const ivs = trial.intermediate
    if (ivs.length <= this.patience + 1) return { action: 'continue' }
    const split = ivs.length - this.patience - 1
    const minimize = directionOf(ctx) === 'minimize'
    const pick = minimize ? nanMin : nanMax
    const before = pick(ivs.slice(0, split).map((iv) => iv.value))
    const after = pick(ivs.slice(split).map((iv) => iv.value))
    // As in Optuna: the window of the last patience+1 reports must beat the best before it by minDelta.
    const stalled = minimize ? before + this.minDelta < after : before - this.minDelta > after
    if (!stalled) return { action: 'continue' }
    if (this.wrapped !== undefined) return this.wrapped.decide(ctx, trial)
    return {
      action: 'prune',
      reason: `no improvement of more than ${this.minDelta} in the last ${this.patience + 1} reports (best before ${before}, since ${after})`,
    }
  }

  /** The wrapped scheduler's promotions (patience only changes `decide`). */
  promotions(ctx: SchedulingContext): readonly Promotion[] {
    return this.wrapped?.promotions?.(ctx) ?? []
  }

  /** The wrapped scheduler's first target. */
  initialTarget(ctx: SchedulingContext, trial: FrozenTrial): number | undefined {
    return this.wrapped?.initialTarget?.(ctx, trial)
  }
}

function nanMin(xs: readonly number[]): number {
  let m = Number.NaN
  for (const x of xs) if (!Number.isNaN(x) && (Number.isNaN(m) || x < m)) m = x
  return m
}

function nanMax(xs: readonly number[]): number {
  let m = Number.NaN
  for (const x of xs) if (!Number.isNaN(x) && (Number.isNaN(m) || x > m)) m = x
  return m
}
