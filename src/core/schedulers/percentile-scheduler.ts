import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { type FrozenTrial, intermediateAt } from '../trial/frozen-trial.ts'
import { bestIntermediate, directionOf, isBetter, lastStep, percentile } from './history.ts'
import type { Decision, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkInt, checkNumber } from './scheduler-options.ts'

/** Options of `PercentileScheduler` (Optuna's `PercentilePruner`, same meaning and defaults). */
export interface PercentileSchedulerOptions {
  /** Prune when the trial's best value so far is worse than this percentile (0..100) of the others at the step. */
  readonly percentile: number
  /** No pruning until this many trials have COMPLETED. @default 5 */
  readonly nStartupTrials?: number
  /** No pruning before this step of a trial. @default 0 */
  readonly nWarmupSteps?: number
  /** Judge only the first report in each interval of this many steps after the warm-up. @default 1 */
  readonly intervalSteps?: number
  /** No pruning at a step where fewer than this many completed trials reported. @default 1 */
  readonly nMinTrials?: number
}

const OPTION_NAMES = {
  percentile: true,
  nStartupTrials: true,
  nWarmupSteps: true,
  intervalSteps: true,
  nMinTrials: true,
} satisfies OptionNames<PercentileSchedulerOptions>

/**
 * Prunes a trial whose best intermediate value is worse than a percentile of the completed trials' values at
 * the same step. Never pauses. Follows Optuna's `PercentilePruner` exactly, so results are comparable: only
 * COMPLETE trials form the reference, the trial's *best* value so far is compared with the others' value *at the
 * step*, and a NaN report prunes.
 *
 * @example
 * const scheduler = new PercentileScheduler({ percentile: 25, nStartupTrials: 5, nWarmupSteps: 10 })
 */
export class PercentileScheduler implements Scheduler {
  readonly name: string = 'percentile'
  protected readonly q: number
  private readonly nStartupTrials: number
  private readonly nWarmupSteps: number
  private readonly intervalSteps: number
  private readonly nMinTrials: number

  constructor(opts: PercentileSchedulerOptions, owner = 'PercentileScheduler') {
    checkOptionNames(owner, opts, OPTION_NAMES)
    this.q = checkNumber(owner, 'percentile', opts.percentile, { min: 0, max: 100 })
    this.nStartupTrials = checkInt(owner, 'nStartupTrials', opts.nStartupTrials ?? 5, 0)
    this.nWarmupSteps = checkNumber(owner, 'nWarmupSteps', opts.nWarmupSteps ?? 0, { min: 0 })
    this.intervalSteps = checkNumber(owner, 'intervalSteps', opts.intervalSteps ?? 1, { min: 0, open: true })
    this.nMinTrials = checkInt(owner, 'nMinTrials', opts.nMinTrials ?? 1, 1)
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const step = lastStep(trial)
    if (step === undefined || step < this.nWarmupSteps) return { action: 'continue' }
    const completed = ctx.history.filter((t) => t.state === 'COMPLETE' && t.id !== trial.id)
    if (completed.length === 0 || completed.length < this.nStartupTrials) return { action: 'continue' }
    if (!isFirstInInterval(trial, step, this.nWarmupSteps, this.intervalSteps)) return { action: 'continue' }
    const direction = directionOf(ctx)
    const best = bestIntermediate(trial, direction)
    if (Number.isNaN(best)) return { action: 'prune', reason: `reported NaN at step ${step}` }
    const atStep: number[] = []
    for (const t of completed) {
      const v = intermediateAt(t, step)
      if (v !== undefined) atStep.push(v)
    }
    if (atStep.length < this.nMinTrials) return { action: 'continue' }
    // For maximisation the bad side is the low end, so the percentile flips (as in Optuna).
    const p = percentile(atStep, direction === 'minimize' ? this.q : 100 - this.q)
    if (Number.isNaN(p) || !isBetter(p, best, direction)) return { action: 'continue' }
    return {
      action: 'prune',
      reason: `best value ${fmt(best)} is worse than the ${this.label()} ${fmt(p)} of ${atStep.length} completed trials at step ${step}`,
    }
  }

  /** How the reference value is named in prune reasons. */
  protected label(): string {
    return `${this.q}th percentile`
  }
}

/**
 * Whether `step` is the first report of its interval: the reports before it all lie before the interval's start
 * (Optuna's `_is_first_in_interval_step`), so a trial reporting every step is judged once per interval.
 */
function isFirstInInterval(trial: FrozenTrial, step: number, warmup: number, interval: number): boolean {
  const intervalStart = Math.floor((step - warmup) / interval) * interval + warmup
  let previous = -1
  for (const iv of trial.intermediate) if (iv.step !== step && iv.step > previous) previous = iv.step
  return previous < intervalStart
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4)
}
