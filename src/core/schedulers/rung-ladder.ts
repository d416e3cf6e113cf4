import type { Direction, FrozenTrial, TrialId } from '../trial/frozen-trial.ts'
import { lastStep, smoothedValueReached, sortBestFirst } from './history.ts'
import type { Promotion } from './scheduler.ts'

/** Trials needed at a rung and the next level before `noiseMargin` trusts its estimate. */
const MIN_PAIRS = 8
/** Smallest regression slope `noiseMargin` divides by. */
const MIN_SLOPE = 0.1

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
   * when it is at least as good as the value at index `max(0, floor(n/η) - 1)` of the sorted values, or worse
   * than it by no more than `margin` (see `noiseMargin`).
   */
  survives(value: number, values: readonly number[], direction: Direction, margin = 0): boolean {
    const sorted = sortBestFirst(values, direction)
    const idx = Math.max(0, Math.floor(sorted.length / this.reductionFactor) - 1)
    return direction === 'minimize' ? value <= sorted[idx] + margin : value >= sorted[idx] - margin
  }

  /**
   * How far below the cut a trial at rung k may be and still not be confidently worse: `z` times the scatter of
   * where trials went from rung k, in rung-k units. From the trials that reached rung k and the next level, the
   * next value is regressed on the rung value (least squares); the margin is z·s/b with s the residual standard
   * deviation and b the slope (at least MIN_SLOPE: a rung that barely predicts the next is barely trusted).
   * 0 with fewer than MIN_PAIRS such trials.
   *
   * Why: ASHA cuts on rank alone. Once the sampler has concentrated on a good region, the trials at a rung differ
   * by less than the rung's noise (evaluation noise, curves converging at different speeds), so the rank cut kills
   * good configurations at random; with the margin it cuts only those clearly worse, and stays as sharp as plain
   * ASHA while the trials are far apart.
   */
  noiseMargin(group: readonly FrozenTrial[], k: number, z: number): number {
    if (!(z > 0)) return 0
    const next = this.nextTarget(k)
    const xs: number[] = []
    const ys: number[] = []
    for (const t of group) {
      const x = this.valueAt(t, k)
      const y = smoothedValueReached(t, next, this.smoothing)
      if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue
      xs.push(x)
      ys.push(y)
    }
    const n = xs.length
    if (n < MIN_PAIRS) return 0
    const mx = xs.reduce((a, b) => a + b, 0) / n
    const my = ys.reduce((a, b) => a + b, 0) / n
    let sxx = 0
    let sxy = 0
    for (let i = 0; i < n; i++) {
      sxx += (xs[i] - mx) ** 2
      sxy += (xs[i] - mx) * (ys[i] - my)
    }
    const b = sxx > 0 ? sxy / sxx : 0
    let ss = 0
    for (let i = 0; i < n; i++) ss += (ys[i] - my - b * (xs[i] - mx)) ** 2
    const s = Math.sqrt(ss / (n - 2))
    return (z * s) / Math.max(b, MIN_SLOPE)
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
