import type { Direction } from '../core/trial/frozen-trial.ts'

/** In-trial early stopping: patience on the objective, and divergence checks that prune at once. */
export interface EarlyStoppingOptions {
  /** Stop after this many reports without an improvement of at least `minDelta`; undefined = never. */
  readonly patience?: number
  /** The smallest change that counts as an improvement. @default 0 */
  readonly minDelta?: number
  readonly divergence?: {
    /** A NaN or infinite value prunes the trial. @default true */
    readonly nan?: boolean
    /** A value worse than this prunes the trial (above it when minimizing, below when maximizing). */
    readonly above?: number
  }
}

/** What the tracker concluded from one report. */
export type EarlyStopVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'diverged'; readonly reason: string }
  | { readonly kind: 'plateau'; readonly reason: string }

/**
 * Tracks one trial's objective across reports. Divergence (NaN, or past the threshold) means a broken
 * configuration: the trial is pruned. A plateau means the run has converged: it is stopped and recorded as
 * COMPLETE with its best value, as a Trainer's early-stopping callback would.
 */
export class EarlyStopTracker {
  private bestSeen: number | undefined
  private anchor: number | undefined
  private sinceBest = 0

  constructor(
    private readonly opts: EarlyStoppingOptions,
    private readonly direction: Direction,
  ) {}

  /** The best value seen so far. */
  get bestValue(): number | undefined {
    return this.bestSeen
  }

  /** Feeds the objective's value at a step. */
  observe(step: number, value: number): EarlyStopVerdict {
    if (!Number.isFinite(value)) {
      if (this.opts.divergence?.nan ?? true)
        return { kind: 'diverged', reason: `objective is ${value} at step ${step} (diverged)` }
      return { kind: 'ok' }
    }
    const limit = this.opts.divergence?.above
    if (limit !== undefined && (this.direction === 'minimize' ? value > limit : value < limit))
      return {
        kind: 'diverged',
        reason: `objective ${value} at step ${step} is past the divergence limit ${limit}`,
      }
    const delta = this.opts.minDelta ?? 0
    const better = (a: number, b: number) => (this.direction === 'minimize' ? a < b : a > b)
    if (this.bestSeen === undefined || better(value, this.bestSeen)) this.bestSeen = value
    // As in Keras' EarlyStopping: only an improvement by more than minDelta resets the count.
    if (
      this.anchor === undefined ||
      better(this.direction === 'minimize' ? value + delta : value - delta, this.anchor)
    ) {
      this.anchor = value
      this.sinceBest = 0
    } else this.sinceBest++
    const patience = this.opts.patience
    if (patience !== undefined && this.sinceBest >= patience)
      return {
        kind: 'plateau',
        reason: `no improvement of at least ${delta} for ${this.sinceBest} reports (best ${this.bestSeen})`,
      }
    return { kind: 'ok' }
  }
}
