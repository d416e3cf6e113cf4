import { bestTrial } from '../analysis/pareto.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { directionOf, isBetter } from './history.ts'
import type { Decision, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkInt, checkNumber } from './scheduler-options.ts'
import { signedRankGreaterPValue } from './signed-rank-test.ts'

/** Options of `WilcoxonScheduler` (Optuna's `WilcoxonPruner`). */
export interface WilcoxonSchedulerOptions {
  /** Prune when the one-sided p-value that the trial is worse than the best is below this. @default 0.1 */
  readonly pThreshold?: number
  /** No pruning before the trial shares this many steps with the best trial. @default 2 */
  readonly nStartupSteps?: number
}

const OPTION_NAMES = { pThreshold: true, nStartupSteps: true } satisfies OptionNames<WilcoxonSchedulerOptions>

/**
 * Prunes a trial that a paired Wilcoxon signed-rank test finds worse than the best COMPLETE trial, pairing the
 * two trials' values at the steps both reported. Meant for objectives whose "steps" are evaluation instances
 * (folds, prompts, benchmark problems) rather than a learning curve. Never pauses.
 *
 * For safety (as in Optuna) a trial whose mean value is already at least as good as the best trial's final
 * value is never pruned, and a trial that reported a non-finite value is.
 */
export class WilcoxonScheduler implements Scheduler {
  readonly name = 'wilcoxon'
  private readonly pThreshold: number
  private readonly nStartupSteps: number

  constructor(opts: WilcoxonSchedulerOptions = {}) {
    checkOptionNames('WilcoxonScheduler', opts, OPTION_NAMES)
    this.pThreshold = checkNumber('WilcoxonScheduler', 'pThreshold', opts.pThreshold ?? 0.1, { min: 0, max: 1 })
    this.nStartupSteps = checkInt('WilcoxonScheduler', 'nStartupSteps', opts.nStartupSteps ?? 2, 0)
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    if (trial.intermediate.length === 0) return { action: 'continue' }
    const bad = trial.intermediate.find((iv) => !Number.isFinite(iv.value))
    if (bad !== undefined) return { action: 'prune', reason: `reported ${bad.value} at step ${bad.step}` }
    const direction = directionOf(ctx)
    const best = bestTrial(
      ctx.history.filter((t) => t.id !== trial.id),
      direction,
    )
    if (best === undefined || best.values === null || best.intermediate.length === 0) return { action: 'continue' }
    if (best.intermediate.some((iv) => !Number.isFinite(iv.value))) return { action: 'continue' }
    const bestByStep = new Map(best.intermediate.map((iv) => [iv.step, iv.value]))
    const diffs: number[] = []
    for (const iv of trial.intermediate) {
      const b = bestByStep.get(iv.step)
      if (b !== undefined) diffs.push(direction === 'minimize' ? iv.value - b : b - iv.value)
    }
    if (diffs.length < this.nStartupSteps || diffs.length === 0) return { action: 'continue' }
    const p = signedRankGreaterPValue(diffs)
    if (!(p < this.pThreshold)) return { action: 'continue' }
    const mean = trial.intermediate.reduce((s, iv) => s + iv.value, 0) / trial.intermediate.length
    if (!isBetter(best.values[0], mean, direction)) return { action: 'continue' }
    return {
      action: 'prune',
      reason: `worse than best trial #${best.number} on ${diffs.length} shared steps (Wilcoxon p = ${p.toPrecision(3)} < ${this.pThreshold})`,
    }
  }
}
