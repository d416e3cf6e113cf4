import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { valueReached } from './history.ts'

/** Options of `fidelityHistory`. */
export interface FidelityHistoryOptions {
  /**
   * Observations a level needs before a model is fitted on it (BOHB's "min points in model").
   * @default the number of distinct parameters in the history + 1
   */
  readonly minPoints?: number
}

/** Which fidelity level the sampler's view was built from, and the view itself. */
export interface FidelityView {
  /** The resource of the chosen level, or undefined when the history was returned unchanged. */
  readonly level: number | undefined
  /** Trials observed at that level. */
  readonly observed: number
  readonly history: readonly FrozenTrial[]
}

/**
 * Rewrites a history so that a single-fidelity sampler fits on the highest fidelity level with enough
 * observations (the model-based multi-fidelity idea of BOHB, Falkner et al. 2018).
 *
 * `levels` are the resources at which trials are compared, lowest first, ending with full fidelity (a
 * scheduler's `rungResources()`). The highest level with at least `minPoints` trials that reached it is chosen;
 * each such trial appears as a COMPLETE view whose `values` are `[its value at that level]` (a COMPLETE trial's
 * own value at full fidelity). Unfinished trials that did not reach it stay as they are (so samplers can still
 * see what is running); trials stopped below it, and failed ones, are left out. When no level has enough points
 * yet, the lowest level (the one with most observations) is used; with no levels at all the history is unchanged.
 */
export function fidelityHistory(
  history: readonly FrozenTrial[],
  levels: readonly number[],
  opts: FidelityHistoryOptions = {},
): FidelityView {
  if (levels.length === 0) return { level: undefined, observed: 0, history }
  const minPoints = opts.minPoints ?? distinctParams(history) + 1
  const full = levels[levels.length - 1]
  const valueAt = (t: FrozenTrial, level: number): number | undefined => {
    if (t.state === 'FAIL' || t.state === 'WAITING') return undefined
    if (t.state === 'COMPLETE' && t.values !== null && (level >= full || t.intermediate.length === 0))
      return t.values[0]
    const v = valueReached(t, level)
    return v === undefined || Number.isNaN(v) ? undefined : v
  }
  let chosen = levels[0]
  for (let i = levels.length - 1; i >= 0; i--) {
    let n = 0
    for (const t of history) if (valueAt(t, levels[i]) !== undefined) n++
    if (n >= minPoints) {
      chosen = levels[i]
      break
    }
  }
  const out: FrozenTrial[] = []
  let observed = 0
  for (const t of history) {
    const v = valueAt(t, chosen)
    if (v !== undefined) {
      out.push({ ...t, state: 'COMPLETE', values: [v] })
      observed++
    } else if (t.state === 'RUNNING' || t.state === 'WAITING' || t.state === 'PAUSED') out.push(t)
  }
  return { level: chosen, observed, history: out }
}

function distinctParams(history: readonly FrozenTrial[]): number {
  const names = new Set<string>()
  for (const t of history) for (const n of Object.keys(t.distributions)) names.add(n)
  return names.size
}
