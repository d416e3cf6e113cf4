/**
 * Small descriptive statistics shared by samplers, pruners and importance analysis: moments, quantiles, ranks and
 * rank correlations. Conventions follow NumPy/SciPy so numbers can be compared with Optuna's.
 *
 * @module
 */

/** Computes the arithmetic mean; NaN for an empty input. */
export function mean(values: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]
  return values.length === 0 ? Number.NaN : s / values.length
}

/**
 * Computes the variance with `ddof` delta degrees of freedom: 0 (the default, NumPy's) for the population
 * variance, 1 for the unbiased sample variance. NaN when there are not more values than ddof.
 */
export function variance(values: ArrayLike<number>, ddof = 0): number {
  const n = values.length
  if (n - ddof <= 0) return Number.NaN
  const m = mean(values)
  // Two-pass: summing squared deviations avoids the cancellation of E[x²] - E[x]².
  let s = 0
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2
  return s / (n - ddof)
}

/**
 * Computes the q-quantile (q in [0, 1]) by linear interpolation between order statistics, NumPy's default
 * ("linear", Hyndman & Fan type 7). NaN for an empty input or when any value is NaN.
 *
 * @throws RangeError when q is outside [0, 1].
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile needs q in [0, 1], but got ${q}`)
  const sorted = Float64Array.from(values).sort()
  const n = sorted.length
  if (n === 0 || Number.isNaN(sorted[n - 1])) return Number.NaN
  const h = (n - 1) * q
  const lo = Math.floor(h)
  if (lo >= n - 1) return sorted[n - 1]
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo])
}

/** Returns the indices that sort `values` ascending; stable, with NaN last (as NumPy's stable argsort). */
export function argsort(values: ArrayLike<number>): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i)
  return idx.sort((a, b) => {
    const x = values[a]
    const y = values[b]
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1
    if (Number.isNaN(y)) return -1
    return x < y ? -1 : x > y ? 1 : 0
  })
}

/**
 * Computes log Σ wᵢ·exp(vᵢ) without overflow (weights default to 1 and must be >= 0). -Infinity for an empty input
 * or when every term is zero.
 */
export function logsumexp(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < values.length; i++)
    if (values[i] > max && (weights === undefined || weights[i] > 0)) max = values[i]
  if (!Number.isFinite(max)) return max
  let s = 0
  for (let i = 0; i < values.length; i++) s += (weights === undefined ? 1 : weights[i]) * Math.exp(values[i] - max)
  return max + Math.log(s)
}

/** Ranks values from 1 to n, giving tied values the average of their ranks (SciPy's `rankdata` default). */
export function rankdata(values: ArrayLike<number>): number[] {
  const order = argsort(values)
  const ranks = new Array<number>(values.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++
    const r = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[order[k]] = r
    i = j + 1
  }
  return ranks
}

/** Computes Pearson's correlation coefficient; NaN when either input is constant or the lengths differ. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length || x.length < 2) return Number.NaN
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx
    const dy = y[i] - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return Number.NaN
  return sxy / Math.sqrt(sxx * syy)
}

/** Computes Spearman's rank correlation: Pearson's correlation of the average-tie ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.NaN
  return pearson(rankdata(x), rankdata(y))
}

/**
 * Computes Kendall's tau-b, which corrects for ties in either input (SciPy's `kendalltau` default), by comparing
 * all pairs: O(n²), fine for the few hundred trials a study holds. NaN when either input is constant.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length
  if (n !== y.length || n < 2) return Number.NaN
  let balance = 0 // concordant minus discordant
  let tiesX = 0
  let tiesY = 0
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const sx = Math.sign(x[i] - x[j])
      const sy = Math.sign(y[i] - y[j])
      balance += sx * sy
      if (sx === 0) tiesX++
      if (sy === 0) tiesY++
    }
  }
  const pairs = (n * (n - 1)) / 2
  const denom = Math.sqrt((pairs - tiesX) * (pairs - tiesY))
  return denom === 0 ? Number.NaN : balance / denom
}
