import {
  type Distribution,
  fromInternal,
  type ParamValue,
  snapToGrid,
  toInternal,
} from '../../distributions/distribution.ts'

/**
 * One parameter as the Parzen estimators see it: a number line (log-transformed for log distributions, with a
 * grid step for ints and stepped floats) or a set of category indices.
 *
 * As in Optuna, a log int is modelled as a continuous value in [ln(low − ½·step), ln(high + ½·step)] and rounded
 * back, so both end points keep their fair share of the mass.
 */
export type Dimension =
  | {
      readonly kind: 'numeric'
      readonly name: string
      readonly distribution: Exclude<Distribution, { kind: 'categorical' }>
      readonly low: number
      readonly high: number
      /** Grid step in internal units; 0 for a continuous dimension. */
      readonly step: number
      readonly log: boolean
    }
  | {
      readonly kind: 'categorical'
      readonly name: string
      readonly distribution: Extract<Distribution, { kind: 'categorical' }>
      readonly size: number
    }

/** Builds the internal description of a parameter. */
export function toDimension(name: string, d: Distribution): Dimension {
  if (d.kind === 'categorical') return { kind: 'categorical', name, distribution: d, size: d.choices.length }
  const step = d.step ?? (d.kind === 'int' ? 1 : 0)
  if (d.log) {
    // Log ints become continuous in log space with half a step of margin (Optuna's treatment).
    const lo = d.kind === 'int' ? Math.log(d.low - step / 2) : Math.log(d.low)
    const hi = d.kind === 'int' ? Math.log(d.high + step / 2) : Math.log(d.high)
    return { kind: 'numeric', name, distribution: d, low: lo, high: hi, step: 0, log: true }
  }
  // Keep the grid exact: the last grid point may sit below `high` when (high − low) is not a multiple of step.
  const high = step > 0 ? d.low + Math.floor((d.high - d.low) / step + 1e-9) * step : d.high
  return { kind: 'numeric', name, distribution: d, low: d.low, high, step, log: false }
}

/** Maps a parameter value to the internal number (category index, log value, or the value itself). */
export function encodeValue(dim: Dimension, value: ParamValue): number {
  const x = toInternal(dim.distribution, value)
  return dim.kind === 'numeric' && dim.log ? Math.log(x) : x
}

/** Maps an internal number back to a legal parameter value (rounded onto the grid and clamped). */
export function decodeValue(dim: Dimension, x: number): ParamValue {
  if (dim.kind === 'categorical') return fromInternal(dim.distribution, x)
  return snapToGrid(dim.distribution, dim.log ? Math.exp(x) : x)
}

/** Width of the internal range, counting half a step beyond each end of a grid. */
export function internalWidth(dim: Extract<Dimension, { kind: 'numeric' }>): number {
  return dim.high - dim.low + dim.step
}
