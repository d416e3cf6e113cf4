import { WinnowError } from '../errors.ts'
import type { Direction } from '../trial/frozen-trial.ts'

type Point = readonly number[]

/**
 * The hypervolume dominated by `points` and bounded by the reference point `ref`, all objectives minimised:
 * the measure of { y : p ≤ y ≤ ref for some p }. Points that do not strictly beat `ref` in every objective add
 * nothing. Exact: a sort-and-sweep in 2-D, slicing along the last objective in 3-D, the WFG algorithm (While et
 * al. 2012) above.
 *
 * @example
 * hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]) // 6
 */
export function hypervolume(points: readonly Point[], ref: Point): number {
  const d = ref.length
  if (d === 0 || !ref.every(Number.isFinite))
    throw new WinnowError(
      'invalid_value',
      `Hypervolume needs a finite reference point with one value per objective, but got ${JSON.stringify(ref)}. Use e.g. the worst value of each objective plus a margin.`,
    )
  for (const p of points)
    if (p.length !== d)
      throw new WinnowError(
        'invalid_value',
        `Hypervolume point ${JSON.stringify(p)} has ${p.length} objectives but the reference point has ${d}. Give every point one value per objective.`,
      )
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]))
  return volume(nondominated(inside), ref)
}

/**
 * The hypervolume of objective vectors in the study's directions (maximised objectives are negated, as is the
 * reference point, which is given in the same directions as the values).
 */
export function hypervolumeOf(values: readonly Point[], ref: Point, directions: readonly Direction[]): number {
  const flip = (p: Point) => p.map((v, i) => (directions[i] === 'maximize' ? -v : v))
  return hypervolume(values.map(flip), flip(ref))
}

function volume(pts: readonly Point[], ref: Point): number {
  if (pts.length === 0) return 0
  const d = ref.length
  if (d === 1) return ref[0] - Math.min(...pts.map((p) => p[0]))
  if (d === 2) return area2d(pts, ref)
  if (d === 3) return volume3d(pts, ref)
  return wfg(pts, ref)
}

/** 2-D: sweep by the first objective; each point adds the strip down from the best second objective so far. */
function area2d(pts: readonly Point[], ref: Point): number {
  const sorted = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let area = 0
  let bestY = ref[1]
  for (const [x, y] of sorted) {
    if (y >= bestY) continue
    area += (ref[0] - x) * (bestY - y)
    bestY = y
  }
  return area
}

/** 3-D: between consecutive levels of the last objective the dominated slice is a fixed 2-D region. */
function volume3d(pts: readonly Point[], ref: Point): number {
  const sorted = [...pts].sort((a, b) => a[2] - b[2])
  let vol = 0
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1][2] : ref[2]
    const h = top - sorted[i][2]
    if (h > 0) vol += h * area2d(sorted.slice(0, i + 1), ref)
  }
  return vol
}

/** WFG: the sum over points (sorted by the last objective, worst first) of each point's exclusive volume. */
function wfg(pts: readonly Point[], ref: Point): number {
  const sorted = [...pts].sort((a, b) => b[b.length - 1] - a[a.length - 1])
  let vol = 0
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]
    const box = p.reduce((s, v, k) => s * (ref[k] - v), 1)
    // The part of p's box the later points also cover: their "limited" versions, clipped to p's box.
    const limited = sorted.slice(i + 1).map((q) => q.map((v, k) => Math.max(v, p[k])))
    vol += box - volume(nondominated(limited), ref)
  }
  return vol
}

/** The points no other point weakly dominates (duplicates kept once). */
function nondominated(pts: readonly Point[]): Point[] {
  const out: Point[] = []
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]
    let dominated = false
    for (let j = 0; j < pts.length && !dominated; j++) {
      if (i === j) continue
      const q = pts[j]
      const weak = q.every((v, k) => v <= p[k])
      // A duplicate is dropped in favour of its first copy.
      if (weak && (q.some((v, k) => v < p[k]) || j < i)) dominated = true
    }
    if (!dominated) out.push(p)
  }
  return out
}
