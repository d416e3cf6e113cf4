import {
  type Distribution,
  finiteValues,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  snapToGrid,
  toInternal,
} from '../../distributions/distribution.ts'

/** Discrete numeric dimensions with at most this many grid points are searched exhaustively. */
const MAX_EXHAUSTIVE_GRID = 32

/**
 * How one parameter lives in the GP's input space.
 *
 * - `continuous`: a float without step, in [0, 1] (log space for log floats).
 * - `discrete`: an int or stepped float, in [0, 1] with the bounds widened by half a step (as Optuna does) so every
 *   grid point owns an equal cell; `grid` lists the encoded grid points; `exhaustive` when it is small enough to
 *   try every point in local search (larger grids are optimised relaxed and rounded).
 * - `categorical`: the choice index (0, 1, …); the kernel compares indices for equality only (Hamming distance).
 */
export type EncodedDimension =
  | { readonly kind: 'continuous'; readonly name: string; readonly dist: Distribution }
  | {
      readonly kind: 'discrete'
      readonly name: string
      readonly dist: Exclude<Distribution, { kind: 'categorical' }>
      readonly grid: Float64Array
      readonly exhaustive: boolean
    }
  | { readonly kind: 'categorical'; readonly name: string; readonly dist: Distribution; readonly nChoices: number }

/**
 * The map between parameter values and GP inputs for one search space: numeric parameters to the unit cube,
 * categoricals to their index. Dimension order is the space's key order (the intersection space sorts names).
 */
export class SpaceEncoding {
  readonly dims: readonly EncodedDimension[]
  /** 1 where the dimension is categorical (compared by equality in the kernel). */
  readonly categorical: Uint8Array

  constructor(space: SearchSpace) {
    this.dims = Object.entries(space).map(([name, d]) => encodeDimension(name, d))
    this.categorical = Uint8Array.from(this.dims, (d) => (d.kind === 'categorical' ? 1 : 0))
  }

  /** Number of GP input dimensions. */
  get size(): number {
    return this.dims.length
  }

  /** A stable text key of the space (for caching fitted hyperparameters). */
  get signature(): string {
    return JSON.stringify(this.dims.map((d) => [d.name, d.dist]))
  }

  /** Encodes a trial's parameters into `out`; false when a parameter is missing or outside its distribution. */
  encode(params: ParamValues, out: Float64Array): boolean {
    for (let i = 0; i < this.dims.length; i++) {
      const name = this.dims[i].name
      const x = Object.hasOwn(params, name) ? this.encodeValue(i, params[name]) : undefined
      if (x === undefined) return false
      out[i] = x
    }
    return true
  }

  /** The input coordinate of value v on dimension i; undefined when v does not fit its distribution. */
  encodeValue(i: number, v: ParamValue): number | undefined {
    const dim = this.dims[i]
    if (dim.kind === 'categorical') {
      try {
        return toInternal(dim.dist, v)
      } catch {
        return undefined
      }
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined
    return toUnit(dim.dist as Exclude<Distribution, { kind: 'categorical' }>, v)
  }

  /** Decodes a GP input into legal parameter values (rounded onto grids, clamped into range). */
  decode(x: ArrayLike<number>): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {}
    this.dims.forEach((dim, i) => {
      if (dim.kind === 'categorical') {
        const dist = dim.dist as Extract<Distribution, { kind: 'categorical' }>
        out[dim.name] = dist.choices[Math.min(dim.nChoices - 1, Math.max(0, Math.round(x[i])))]
      } else out[dim.name] = fromUnit(dim.dist as Exclude<Distribution, { kind: 'categorical' }>, x[i])
    })
    return out
  }

  /** Moves every discrete dimension of x onto its nearest grid point (in place). */
  roundInPlace(x: Float64Array): void {
    this.dims.forEach((dim, i) => {
      if (dim.kind === 'discrete') x[i] = nearest(dim.grid, x[i])
      else if (dim.kind === 'categorical') x[i] = Math.min(dim.nChoices - 1, Math.max(0, Math.round(x[i])))
      else x[i] = Math.min(1, Math.max(0, x[i]))
    })
  }

  /** Maps a point u of [0, 1)^d (e.g. a Sobol point) to a legal GP input, each grid point and choice equally likely. */
  fromUniform(u: ArrayLike<number>, out: Float64Array): void {
    this.dims.forEach((dim, i) => {
      if (dim.kind === 'categorical') out[i] = Math.min(dim.nChoices - 1, Math.floor(u[i] * dim.nChoices))
      else if (dim.kind === 'discrete')
        out[i] = dim.grid[Math.min(dim.grid.length - 1, Math.floor(u[i] * dim.grid.length))]
      else out[i] = u[i]
    })
  }
}

function encodeDimension(name: string, d: Distribution): EncodedDimension {
  if (d.kind === 'categorical') return { kind: 'categorical', name, dist: d, nChoices: d.choices.length }
  const values = finiteValues(d)
  if (values === undefined) return { kind: 'continuous', name, dist: d }
  const grid = Float64Array.from(values as number[], (v) => toUnit(d, v))
  return { kind: 'discrete', name, dist: d, grid, exhaustive: grid.length <= MAX_EXHAUSTIVE_GRID }
}

/** The widened bounds of a numeric distribution in the transformed (log or linear) space: unit 0 and 1. */
export function transformedBounds(d: Exclude<Distribution, { kind: 'categorical' }>): [number, number] {
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  const half = step === undefined ? 0 : step / 2
  if (d.log) return [Math.log(d.low - half), Math.log(d.high + half)]
  return [d.low - half, d.high + half]
}

function toUnit(d: Exclude<Distribution, { kind: 'categorical' }>, v: number): number {
  const [lo, hi] = transformedBounds(d)
  if (hi === lo) return 0.5
  const t = d.log ? Math.log(v) : v
  return Math.min(1, Math.max(0, (t - lo) / (hi - lo)))
}

function fromUnit(d: Exclude<Distribution, { kind: 'categorical' }>, u: number): number {
  const [lo, hi] = transformedBounds(d)
  const t = lo + Math.min(1, Math.max(0, u)) * (hi - lo)
  return snapToGrid(d, d.log ? Math.exp(t) : t)
}

function nearest(grid: Float64Array, x: number): number {
  // Grids are sorted ascending; binary search for the closest point.
  let lo = 0
  let hi = grid.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (grid[mid] <= x) lo = mid
    else hi = mid
  }
  return Math.abs(grid[lo] - x) <= Math.abs(grid[hi] - x) ? grid[lo] : grid[hi]
}
