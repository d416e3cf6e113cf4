import { isBetter, valueReached } from '../schedulers/history.ts'
import type { Direction, FrozenTrial } from '../trial/frozen-trial.ts'

/** How the trials of a multi-fidelity study spread over one fidelity level (a rung, or full fidelity). */
export interface RungRow {
  /** The level's resource (steps, epochs, data fraction). */
  readonly level: number
  /** Trials that reported at or past this level (COMPLETE ones count at full fidelity even without reports). */
  readonly reached: number
  /** Of those, how many reached the next level (0 at full fidelity). */
  readonly wentOn: number
  /** Trials whose last report lies between this level and the next, by their state there. */
  readonly prunedHere: number
  readonly pausedHere: number
  readonly runningHere: number
  /** The best value reported at this level (the final value at full fidelity), or undefined. */
  readonly best?: number
}

/**
 * The rung view of a successive-halving / Hyperband study: per fidelity level (rungs, lowest first, then full
 * fidelity), how many trials got there, how many went on, and where the others stopped (pruned, paused, still
 * running). Read from the trials alone, like the schedulers' own bookkeeping.
 *
 * @example
 * rungOccupancy(trials, [5, 20, 80], 100, 'minimize') // one row per level: 5, 20, 80, 100
 */
export function rungOccupancy(
  trials: readonly FrozenTrial[],
  rungs: readonly number[],
  max: number,
  direction: Direction,
): RungRow[] {
  const levels = [...rungs.filter((r) => r < max), max]
  const at = (t: FrozenTrial, k: number): number | undefined => {
    if (k === levels.length - 1 && t.state === 'COMPLETE' && t.values !== null) return t.values[0]
    return valueReached(t, levels[k])
  }
  return levels.map((level, k) => {
    let reached = 0
    let wentOn = 0
    let prunedHere = 0
    let pausedHere = 0
    let runningHere = 0
    let best: number | undefined
    for (const t of trials) {
      const v = at(t, k)
      if (v === undefined) continue
      reached++
      if (!Number.isNaN(v) && (best === undefined || isBetter(v, best, direction))) best = v
      if (k + 1 < levels.length && at(t, k + 1) !== undefined) wentOn++
      else if (k + 1 < levels.length) {
        if (t.state === 'PRUNED') prunedHere++
        else if (t.state === 'PAUSED') pausedHere++
        else if (t.state === 'RUNNING' || t.state === 'WAITING') runningHere++
      }
    }
    return { level, reached, wentOn, prunedHere, pausedHere, runningHere, ...(best !== undefined ? { best } : {}) }
  })
}
