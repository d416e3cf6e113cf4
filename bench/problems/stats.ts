/** Order statistics with numpy's default (linear interpolation) rule, so medians and IQRs match the anchor's. */

/** The q-quantile (0 ≤ q ≤ 1) of `xs`, numpy.percentile "linear"; NaN for an empty list. Infinity is allowed. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const frac = pos - lo
  if (frac === 0 || lo + 1 >= s.length) return s[lo]
  if (s[lo] === s[lo + 1]) return s[lo]
  return s[lo] + (s[lo + 1] - s[lo]) * frac
}

/** Median (mean of the two middle values for an even count), like numpy.median; NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Median and quartiles. */
export interface MedianIqr {
  median: number
  q1: number
  q3: number
}

/** Median, Q1 and Q3 of `xs` (numpy linear interpolation). */
export function medianIqr(xs: readonly number[]): MedianIqr {
  return { median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) }
}
