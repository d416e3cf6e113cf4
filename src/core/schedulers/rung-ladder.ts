import type { Direction, FrozenTrial, TrialId } from '../trial/frozen-trial.ts'
import { lastStep, smoothedValueReached, sortBestFirst } from './history.ts'
import type { Promotion } from './scheduler.ts'

/**
 * Successive-halving bookkeeping over one group of trials (all trials for ASHA, one bracket for Hyperband),
 * derived from the trials alone (their states, intermediate values and `systemAttrs.target`), never from state
 * kept in memory. Any worker holding the same snapshot computes the same rungs and promotions.
 *
 * A trial's value at rung k is its first report at a step >= the rung's resource (averaged with the reports just
 * before it when `smoothing` > 1, see `smoothedValueReached`). A trial counts as promoted out
 * of rung k once it reported past the next rung, finished COMPLETE, or carries a `systemAttrs.target` above the
 * rung (set by the runner when it resumes the trial).
 */
export class RungLadder {
  constructor(
    /** Rung resources, lowest first (full fidelity excluded). */
    readonly rungs: readonly number[],
    /** Full fidelity, the target after the last rung. */
    readonly max: number,
    readonly reductionFactor: number,
    /** Reports averaged into a rung value (1 = the single report at the rung, Optuna's rule). */
    readonly smoothing = 1,
  ) {}

  /** A trial's value at rung k (undefined when it did not reach it). */
  valueAt(t: FrozenTrial, k: number): number | undefined {
    return smoothedValueReached(t, this.rungs[k], this.smoothing)
  }

  /** The resource a trial is promoted to from rung k (the next rung, or full fidelity after the last). */
  nextTarget(k: number): number {
    return k + 1 < this.rungs.length ? this.rungs[k + 1] : this.max
  }

  /** The target the trial runs to now: `systemAttrs.target` when the runner set one, else the first rung. */
  currentTarget(t: FrozenTrial): number {
    const target = t.systemAttrs.target
    return typeof target === 'number' ? target : (this.rungs[0] ?? this.max)
  }

  /** Index of the highest rung whose resource is <= step, or -1. */
  rungAt(step: number): number {
    let k = -1
    for (let i = 0; i < this.rungs.length; i++) if (this.rungs[i] <= step) k = i
    return k
  }

  /** The trials that reached rung k with a number, and those values. */
  reached(group: readonly FrozenTrial[], k: number): { trial: FrozenTrial; value: number }[] {
    const out: { trial: FrozenTrial; value: number }[] = []
    for (const t of group) {
      const value = this.valueAt(t, k)
      if (value !== undefined && !Number.isNaN(value)) out.push({ trial: t, value })
    }
    return out
  }

  /** Whether a trial has left rung k upwards (reported past the next rung, completed, or was given a higher target). */
  isPromotedFrom(t: FrozenTrial, k: number): boolean {
    const next = this.nextTarget(k)
    const step = lastStep(t)
    if (t.state === 'COMPLETE' || (step !== undefined && step >= next)) return true
    const target = t.systemAttrs.target
    return typeof target === 'number' && target > this.rungs[k]
  }

  /**
   * Optuna's successive-halving rule: `value` survives a rung where `values` (its own included) were recorded
   * when it is at least as good as the value at index `max(0, floor(n/η) - 1)` of the sorted values.
   */
  survives(value: number, values: readonly number[], direction: Direction): boolean {
    const sorted = sortBestFirst(values, direction)
    const idx = Math.max(0, Math.floor(sorted.length / this.reductionFactor) - 1)
    return direction === 'minimize' ? value <= sorted[idx] : value >= sorted[idx]
  }

  /**
   * Paused trials to resume (ASHA's promotion rule), highest rung first, then best value first, then lowest
   * trial number. At rung k with n trials, the top floor(n/η) may leave it; slots already used by promoted trials
   * are subtracted, so a rung never sends up more than floor(n/η) trials, and a trial is never promoted twice.
   */
  promotions(group: readonly FrozenTrial[], direction: Direction): Promotion[] {
    const out: Promotion[] = []
    const taken = new Set<TrialId>()
    const sign = direction === 'minimize' ? 1 : -1
    for (let k = this.rungs.length - 1; k >= 0; k--) {
      const reached = this.reached(group, k)
      const quota = Math.floor(reached.length / this.reductionFactor)
      if (quota === 0) continue
      // The baseline runs to full fidelity on no merit (Study.report never stops it): it ranks, but uses no slot.
      const used = reached.filter(
        (r) => r.trial.systemAttrs.baseline !== true && this.isPromotedFrom(r.trial, k),
      ).length
      let slots = quota - used
      if (slots <= 0) continue
      const top = [...reached]
        .sort((a, b) => sign * (a.value - b.value) || a.trial.number - b.trial.number)
        .slice(0, quota)
      for (const { trial } of top) {
        if (slots === 0) break
        if (trial.state !== 'PAUSED' || taken.has(trial.id) || this.isPromotedFrom(trial, k)) continue
        out.push({ trialId: trial.id, target: this.nextTarget(k) })
        taken.add(trial.id)
        slots--
      }
    }
    return out
  }
}
