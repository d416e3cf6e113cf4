import { containsValue } from '../../distributions/distribution.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import { type Dimension, encodeValue } from './dimension.ts'

/**
 * Internal (encoded) parameter vectors of past trials, cached per dimension set. Trials the model reads are
 * finished or RUNNING; a finished snapshot never changes and a new snapshot is a new object, so a WeakMap keyed by
 * the snapshot is always valid and lets old snapshots be collected.
 */
export class ObservationCache {
  private readonly byKey = new Map<string, WeakMap<FrozenTrial, Float64Array | null>>()

  /** The encoded row of `t` over `dims`, or null when it lacks a parameter or has a value outside the space. */
  row(key: string, dims: readonly Dimension[], t: FrozenTrial): Float64Array | null {
    let cache = this.byKey.get(key)
    if (cache === undefined) {
      cache = new WeakMap()
      this.byKey.set(key, cache)
    }
    const hit = cache.get(t)
    if (hit !== undefined) return hit
    let row: Float64Array | null = new Float64Array(dims.length)
    for (let i = 0; i < dims.length; i++) {
      const v = t.params[dims[i].name]
      if (v === undefined || !containsValue(dims[i].distribution, v)) {
        row = null
        break
      }
      row[i] = encodeValue(dims[i], v)
    }
    cache.set(t, row)
    return row
  }

  /**
   * Columns (one Float64Array per dimension) of the trials that have every dimension, and the positions of those
   * trials in `trials`.
   */
  columns(
    key: string,
    dims: readonly Dimension[],
    trials: readonly FrozenTrial[],
  ): { cols: Float64Array[]; used: number[] } {
    const rows: Float64Array[] = []
    const used: number[] = []
    for (let i = 0; i < trials.length; i++) {
      const r = this.row(key, dims, trials[i])
      if (r !== null) {
        rows.push(r)
        used.push(i)
      }
    }
    const cols = dims.map(() => new Float64Array(rows.length))
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < dims.length; j++) cols[j][i] = rows[i][j]
    return { cols, used }
  }
}
