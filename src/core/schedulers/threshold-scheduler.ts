import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { lastStep } from './history.ts'
import type { Decision, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkNumber, checkThat } from './scheduler-options.ts'

/** Options of `ThresholdScheduler` (Optuna's `ThresholdPruner`). At least one bound is required. */
export interface ThresholdSchedulerOptions {
  /** Prune when the latest value is below this. */
  readonly lower?: number
  /** Prune when the latest value is above this (e.g. a diverged loss). */
  readonly upper?: number
  /** No pruning before this step. @default 0 */
  readonly nWarmupSteps?: number
  /** Judge only every this many steps after the warm-up. @default 1 */
  readonly intervalSteps?: number
}

const OPTION_NAMES = {
  lower: true,
  upper: true,
  nWarmupSteps: true,
  intervalSteps: true,
} satisfies OptionNames<ThresholdSchedulerOptions>

/**
 * Prunes a trial whose latest intermediate value leaves [lower, upper], or is NaN. Never pauses; looks at no
 * other trial, so it works from the first trial on (useful to stop diverged runs at once).
 *
 * @example
 * const scheduler = new ThresholdScheduler({ upper: 5.0, nWarmupSteps: 20 })
 */
export class ThresholdScheduler implements Scheduler {
  readonly name = 'threshold'
  private readonly lower: number
  private readonly upper: number
  private readonly nWarmupSteps: number
  private readonly intervalSteps: number

  constructor(opts: ThresholdSchedulerOptions) {
    checkOptionNames('ThresholdScheduler', opts, OPTION_NAMES)
    const owner = 'ThresholdScheduler'
    checkThat(
      opts.lower !== undefined || opts.upper !== undefined,
      owner,
      'lower/upper',
      'must set at least one bound, but got neither. Pass e.g. { upper: 5 } to stop diverged runs.',
    )
    this.lower = opts.lower === undefined ? Number.NEGATIVE_INFINITY : checkNumber(owner, 'lower', opts.lower)
    this.upper = opts.upper === undefined ? Number.POSITIVE_INFINITY : checkNumber(owner, 'upper', opts.upper)
    checkThat(
      this.lower <= this.upper,
      owner,
      'lower',
      `must not exceed upper, but got lower=${this.lower}, upper=${this.upper}. Swap them.`,
    )
    this.nWarmupSteps = checkNumber(owner, 'nWarmupSteps', opts.nWarmupSteps ?? 0, { min: 0 })
    this.intervalSteps = checkNumber(owner, 'intervalSteps', opts.intervalSteps ?? 1, { min: 0, open: true })
  }

  decide(_ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const step = lastStep(trial)
    if (step === undefined || step < this.nWarmupSteps) return { action: 'continue' }
    // Optuna judges only steps on the interval grid; a NaN is judged whenever the step is on it too.
    const offset = (step - this.nWarmupSteps) / this.intervalSteps
    if (Math.abs(offset - Math.round(offset)) > 1e-9) return { action: 'continue' }
    const value = trial.intermediate[trial.intermediate.length - 1].value
    if (Number.isNaN(value)) return { action: 'prune', reason: `reported NaN at step ${step}` }
    if (value < this.lower)
      return { action: 'prune', reason: `value ${value} is below the lower bound ${this.lower} at step ${step}` }
    if (value > this.upper)
      return { action: 'prune', reason: `value ${value} is above the upper bound ${this.upper} at step ${step}` }
    return { action: 'continue' }
  }
}
