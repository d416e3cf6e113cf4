import {
  type Distribution,
  describeDistribution,
  finiteValues,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  snapToGrid,
  toInternal,
} from '../../distributions/distribution.ts'

const MAX_GRID = 1000

type NumericDistribution = Exclude<Distribution, { kind: 'categorical' }>

/** A numeric parameter mapped onto [0, 1] (log parameters in log space). */
export interface NumericDim {
  readonly name: string
  readonly dist: NumericDistribution
  readonly lo: number
  readonly hi: number
  /** Unit positions of the legal values of an int / stepped parameter (ascending); undefined when continuous. */
  readonly grid: readonly number[] | undefined
  /** The legal values, aligned with `grid`. */
  readonly values: readonly number[] | undefined
}

/** A categorical parameter: its name and choices. */
export interface CategoricalDim {
  readonly name: string
  readonly dist: Extract<Distribution, { kind: 'categorical' }>
}

/**
 * A search space as CMA-ES sees it: numeric parameters as coordinates of the unit cube (log-scaled where the
 * distribution is log, with the grid of legal values for ints and stepped floats), categoricals apart.
 * Single-valued parameters are left out: there is nothing to learn about them.
 */
export class UnitSpace {
  readonly numeric: NumericDim[] = []
  readonly categorical: CategoricalDim[] = []
  /** A short fingerprint of the space; trials sampled for another space are not replayed. */
  readonly key: string

  constructor(space: SearchSpace, opts: { discrete?: boolean } = {}) {
    for (const [name, d] of Object.entries(space)) {
      if (isSingleValued(d)) continue
      if (d.kind === 'categorical') {
        this.categorical.push({ name, dist: d })
        continue
      }
      const lo = d.log ? Math.log(d.low) : d.low
      const hi = d.log ? Math.log(d.high) : d.high
      // Wide integer ranges behave like continuous ones; only short grids need the margin correction.
      const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
      const short = step !== undefined && (d.high - d.low) / step < MAX_GRID
      const values = opts.discrete === false || !short ? undefined : (finiteValues(d) as number[])
      const grid = values?.map((v) => ((d.log ? Math.log(v) : v) - lo) / (hi - lo))
      this.numeric.push({ name, dist: d, lo, hi, grid, values })
    }
    this.key = fnv1a(
      [...this.numeric, ...this.categorical].map((p) => `${p.name}:${describeDistribution(p.dist)}`).join('|'),
    )
  }

  /** Number of numeric coordinates. */
  get n(): number {
    return this.numeric.length
  }

  /** Unit coordinates of a parameter set (undefined when a parameter is missing or illegal). */
  toUnit(params: ParamValues): { x: number[]; c: number[] } | undefined {
    const x: number[] = []
    for (const p of this.numeric) {
      const v = params[p.name]
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined
      x.push(Math.min(1, Math.max(0, ((p.dist.log ? Math.log(v) : v) - p.lo) / (p.hi - p.lo))))
    }
    const c: number[] = []
    for (const p of this.categorical) {
      if (!Object.hasOwn(params, p.name)) return undefined
      try {
        c.push(toInternal(p.dist, params[p.name]))
      } catch {
        return undefined
      }
    }
    return { x, c }
  }

  /** Parameter values of unit coordinates (already encoded: discrete coordinates sit on a grid position). */
  fromUnit(x: readonly number[], c: readonly number[]): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {}
    this.numeric.forEach((p, i) => {
      if (p.grid !== undefined && p.values !== undefined) {
        out[p.name] = p.values[nearest(p.grid, x[i])]
        return
      }
      const u = Math.min(1, Math.max(0, x[i]))
      const v = p.lo + u * (p.hi - p.lo)
      out[p.name] = snapToGrid(p.dist, p.dist.log ? Math.exp(v) : v)
    })
    this.categorical.forEach((p, j) => {
      out[p.name] = p.dist.choices[c[j]]
    })
    return out
  }
}

function nearest(sorted: readonly number[], v: number): number {
  let best = 0
  let bestD = Number.POSITIVE_INFINITY
  for (let k = 0; k < sorted.length; k++) {
    const d = Math.abs(sorted[k] - v)
    if (d < bestD) {
      bestD = d
      best = k
    }
  }
  return best
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}
