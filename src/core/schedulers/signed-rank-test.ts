import { erfc } from '../math/erf.ts'

/**
 * One-sided Wilcoxon signed-rank test of paired differences, as SciPy's `wilcoxon(d, alternative='greater',
 * zero_method='zsplit')`: the p-value that the differences are centred above zero. Exact null distribution for up
 * to 50 differences without zeros or ties, the normal approximation (tie-corrected, no continuity correction)
 * otherwise. NaN when there is no difference.
 */
export function signedRankGreaterPValue(diffs: readonly number[]): number {
  const n = diffs.length
  if (n === 0) return Number.NaN
  const { ranks, tieSizes } = rankAbs(diffs)
  let rPlus = 0
  let zeros = 0
  for (let i = 0; i < n; i++) {
    if (diffs[i] > 0) rPlus += ranks[i]
    else if (diffs[i] === 0) {
      // zsplit: a zero difference gives half its rank to each side.
      rPlus += ranks[i] / 2
      zeros++
    }
  }
  const hasTies = tieSizes.some((s) => s > 1)
  if (n <= 50 && zeros === 0 && !hasTies) return exactUpperTail(n, rPlus)
  const mean = (n * (n + 1)) / 4
  let variance = (n * (n + 1) * (2 * n + 1)) / 24
  for (const t of tieSizes) variance -= (t * t * t - t) / 48
  if (variance <= 0) return 0.5
  return normalSf((rPlus - mean) / Math.sqrt(variance))
}

/** P(T+ >= t) under the null for n differences: counts subsets of {1..n} by their rank sum. */
function exactUpperTail(n: number, t: number): number {
  const max = (n * (n + 1)) / 2
  let counts = new Float64Array(max + 1)
  counts[0] = 1
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(max + 1)
    for (let s = 0; s <= max; s++) {
      if (counts[s] === 0) continue
      next[s] += counts[s]
      if (s + k <= max) next[s + k] += counts[s]
    }
    counts = next
  }
  let tail = 0
  for (let s = Math.ceil(t - 1e-9); s <= max; s++) tail += counts[s]
  return tail / 2 ** n
}

/** Average ranks (1-based) of |d|, and the size of each group of equal |d|. */
function rankAbs(diffs: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = diffs.map((d, i) => ({ a: Math.abs(d), i })).sort((x, y) => x.a - y.a)
  const ranks = new Array<number>(diffs.length)
  const tieSizes: number[] = []
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1].a === order[start].a) end++
    const avg = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[order[k].i] = avg
    tieSizes.push(end - start + 1)
    start = end + 1
  }
  return { ranks, tieSizes }
}

/** Upper tail of the standard normal, P(Z > z). */
function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}
