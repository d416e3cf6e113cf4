import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { PercentileScheduler } from './percentile-scheduler.ts'

/** Options of `MedianScheduler`: those of `PercentileScheduler` without the percentile. */
export interface MedianSchedulerOptions {
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
  nStartupTrials: true,
  nWarmupSteps: true,
  intervalSteps: true,
  nMinTrials: true,
} satisfies OptionNames<MedianSchedulerOptions>

/**
 * Prunes a trial whose best intermediate value is worse than the median of the completed trials' values at the
 * same step (Optuna's `MedianPruner`: a `PercentileScheduler` at 50). Never pauses.
 *
 * @example
 * const scheduler = new MedianScheduler({ nStartupTrials: 5, nWarmupSteps: 10 })
 */
export class MedianScheduler extends PercentileScheduler {
  override readonly name: string = 'median'

  constructor(opts: MedianSchedulerOptions = {}) {
    checkOptionNames('MedianScheduler', opts, OPTION_NAMES)
    super({ ...opts, percentile: 50 }, 'MedianScheduler')
  }

  protected override label(): string {
    return 'median'
  }
}
