import type { CategoricalChoice, Distribution, SearchSpace } from '../distributions/distribution.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/**
 * The parameters every COMPLETE trial has, each with one distribution that covers all the trials' ones — the
 * space an analysis of the whole study (importance, slices) looks at. Why not the intersection samplers use: a
 * study narrowed part-way (`winnow focus --continue`, an edited range) records two distributions for the
 * parameter it narrowed, and the intersection would drop exactly the parameter that mattered most. Ranges are
 * joined (lowest low, highest high) and choices united; a parameter whose trials disagree on its kind or log scale
 * is left out, as its values are not comparable.
 */
export function coveringSearchSpace(history: readonly FrozenTrial[]): SearchSpace {
  let space: Map<string, Distribution> | undefined
  for (const t of history) {
    if (t.state !== 'COMPLETE') continue
    if (space === undefined) {
      space = new Map(Object.entries(t.distributions))
      continue
    }
    for (const [name, d] of space) {
      const other = t.distributions[name]
      const joined = other === undefined ? undefined : join(d, other)
      if (joined === undefined) space.delete(name)
      else space.set(name, joined)
    }
  }
  if (space === undefined) return {}
  return Object.fromEntries([...space.keys()].sort().map((k) => [k, space.get(k)!]))
}

function join(a: Distribution, b: Distribution): Distribution | undefined {
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== 'categorical' || b.kind !== 'categorical') return undefined
    const choices: CategoricalChoice[] = [...a.choices]
    for (const c of b.choices) if (!choices.includes(c)) choices.push(c)
    return { kind: 'categorical', choices }
  }
  if (a.kind !== b.kind || a.log !== b.log) return undefined
  const low = Math.min(a.low, b.low)
  const high = Math.max(a.high, b.high)
  // A shared step survives only when both grids line up; otherwise ints fall back to every integer and floats to
  // the continuum, which still contain every recorded value.
  const aligned = a.step !== undefined && a.step === b.step && Number.isInteger((a.low - b.low) / a.step)
  if (a.kind === 'int') return { kind: 'int', low, high, log: a.log, step: aligned ? a.step : 1 }
  return { kind: 'float', low, high, log: a.log, ...(aligned ? { step: a.step } : {}) }
}
