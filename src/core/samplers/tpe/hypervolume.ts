/**
 * Hypervolume helpers for multi-objective TPE (all objectives minimised): the exact hypervolume of a small point
 * set, each point's exclusive contribution, and greedy hypervolume subset selection. The sets TPE passes are
 * the "good" trials (at most ~25), so simple exact algorithms are fast enough.
 */

/** Hypervolume dominated by `points` and bounded by `ref` (minimisation; points not below ref add nothing). */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]))
  if (inside.length === 0) return 0
  return hvRec(inside, ref, ref.length)
}

function hvRec(points: readonly (readonly number[])[], ref: readonly number[], d: number): number {
  if (points.length === 0) return 0
  if (d === 1) return ref[0] - Math.min(...points.map((p) => p[0]))
  if (d === 2) {
    // Sweep in the first objective; each point adds the strip down to the best second objective so far.
    const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1])
    let area = 0
    let bestY = ref[1]
    for (let i = 0; i < sorted.length; i++) {
      const [x, y] = sorted[i]
      if (y >= bestY) continue
      // Points are sorted by x, so the strip [y, bestY) is first reached by this point and spans to ref[0].
      area += (ref[0] - x) * (bestY - y)
      bestY = y
    }
    return area
  }
  // Slice along the last objective: between consecutive levels the (d−1)-dimensional front is fixed.
  const sorted = [...points].sort((a, b) => a[d - 1] - b[d - 1])
  let volume = 0
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1][d - 1] : ref[d - 1]
    const height = top - sorted[i][d - 1]
    if (height <= 0) continue
    volume += height * hvRec(sorted.slice(0, i + 1), ref, d - 1)
  }
  return volume
}

/** Each point's exclusive contribution: hypervolume of all minus hypervolume without that point. */
export function hypervolumeContributions(points: readonly (readonly number[])[], ref: readonly number[]): Float64Array {
  const total = hypervolume(points, ref)
  const out = new Float64Array(points.length)
  for (let i = 0; i < points.length; i++)
    out[i] =
      total -
      hypervolume(
        points.filter((_, j) => j !== i),
        ref,
      )
  return out
}

/**
 * Picks `k` of `points` greedily, each time the one that adds the most hypervolume to those already picked
 * (Optuna's HSSP tie-break for the last non-domination front). Returns indices into `points`.
 */
export function selectByHypervolume(
  points: readonly (readonly number[])[],
  k: number,
  ref: readonly number[],
): number[] {
  const chosen: number[] = []
  const left = new Set(points.map((_, i) => i))
  let current = 0
  while (chosen.length < k && left.size > 0) {
    let best = -1
    let bestGain = Number.NEGATIVE_INFINITY
    for (const i of left) {
      const gain = hypervolume([...chosen.map((c) => points[c]), points[i]], ref) - current
      if (gain > bestGain) {
        bestGain = gain
        best = i
      }
    }
    chosen.push(best)
    left.delete(best)
    current += bestGain
  }
  return chosen
}

/**
 * A reference point just beyond the worst of `points` in every objective (Optuna's rule:
 * max(1.1·worst, 0.9·worst), and a tiny positive number where that is 0).
 */
export function referencePoint(points: readonly (readonly number[])[]): number[] {
  const m = points[0].length
  const ref: number[] = []
  for (let j = 0; j < m; j++) {
    const worst = Math.max(...points.map((p) => p[j]))
    const r = Math.max(1.1 * worst, 0.9 * worst)
    ref.push(r === 0 ? 1e-12 : r)
  }
  return ref
}
