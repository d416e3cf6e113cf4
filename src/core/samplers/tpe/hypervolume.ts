import { hypervolume } from '../../analysis/hypervolume.ts'

/**
 * Hypervolume helpers for multi-objective TPE (all objectives minimised): the exact hypervolume of a small point
 * set, each point's exclusive contribution, and greedy hypervolume subset selection. The sets TPE passes are
 * the "good" trials (at most ~25), so simple exact algorithms are fast enough.
 */

export { hypervolume }

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
