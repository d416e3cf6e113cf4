import { dominates, isFeasible, constraintViolation as violation } from '../../analysis/pareto.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'

/**
 * Deb's constrained domination (Deb et al. 2002, §VI): a feasible trial dominates an infeasible one, of two
 * infeasible trials the one with the smaller total violation dominates, and two feasible trials compare by
 * Pareto dominance of their values.
 */
export function constrainedDominates(a: FrozenTrial, b: FrozenTrial, directions: readonly Direction[]): boolean {
  const fa = isFeasible(a)
  const fb = isFeasible(b)
  if (fa && !fb) return true
  if (!fa && !fb) return violation(a) < violation(b)
  if (!fa) return false
  return dominates(a.values!, b.values!, directions)
}

/**
 * Fast non-dominated sort (Deb et al. 2002): splits `n` items into fronts of indices, the first front being the
 * items nothing dominates. O(M·n²) comparisons through `dom(i, j)` ("i dominates j").
 */
export function nonDominatedSort(n: number, dom: (i: number, j: number) => boolean): number[][] {
  const dominatedBy: number[][] = Array.from({ length: n }, () => [])
  const count = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (dom(i, j)) {
        dominatedBy[i].push(j)
        count[j]++
      } else if (dom(j, i)) {
        dominatedBy[j].push(i)
        count[i]++
      }
    }
  const fronts: number[][] = []
  let current = [...Array(n).keys()].filter((i) => count[i] === 0)
  while (current.length > 0) {
    fronts.push(current)
    const next: number[] = []
    for (const i of current)
      for (const j of dominatedBy[i]) {
        count[j]--
        if (count[j] === 0) next.push(j)
      }
    current = next.sort((a, b) => a - b)
  }
  return fronts
}

/**
 * Crowding distance of each point within one front (Deb et al. 2002): the sum over objectives of the normalised
 * gap between its two neighbours; the extremes of every objective get +∞ so they are always kept.
 */
export function crowdingDistance(values: readonly (readonly number[])[]): number[] {
  const n = values.length
  const dist = new Array<number>(n).fill(0)
  if (n === 0) return dist
  const m = values[0].length
  for (let k = 0; k < m; k++) {
    const order = [...Array(n).keys()].sort((a, b) => values[a][k] - values[b][k] || a - b)
    const lo = values[order[0]][k]
    const hi = values[order[n - 1]][k]
    dist[order[0]] = Number.POSITIVE_INFINITY
    dist[order[n - 1]] = Number.POSITIVE_INFINITY
    if (!(hi > lo)) continue
    for (let r = 1; r < n - 1; r++) dist[order[r]] += (values[order[r + 1]][k] - values[order[r - 1]][k]) / (hi - lo)
  }
  return dist
}
