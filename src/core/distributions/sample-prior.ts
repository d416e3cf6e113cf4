import type { Rng } from '../rng.ts'
import { type Distribution, type ParamValue, snapToGrid } from './distribution.ts'

/**
 * Draws a value from the distribution's natural prior: uniform (in log space for `log`), every grid point
 * of an int / stepped float equally likely, every choice equally likely.
 */
export function samplePrior(d: Distribution, rng: Rng): ParamValue {
  if (d.kind === 'categorical') return d.choices[rng.int(0, d.choices.length - 1)]
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  if (d.log) {
    // Widen by half a unit for ints so both end points get their fair share after rounding (as Optuna).
    const lo = d.kind === 'int' ? Math.log(d.low - 0.5) : Math.log(d.low)
    const hi = d.kind === 'int' ? Math.log(d.high + 0.5) : Math.log(d.high)
    return snapToGrid(d, Math.exp(rng.uniform(lo, hi)))
  }
  if (step !== undefined) {
    const n = Math.floor((d.high - d.low) / step + 1e-9) + 1
    return snapToGrid(d, d.low + rng.int(0, n - 1) * step)
  }
  return d.low === d.high ? d.low : rng.uniform(d.low, d.high)
}
