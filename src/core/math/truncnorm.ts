/**
 * The truncated normal distribution, as TPE's Parzen kernels use it: sampling by inverse cdf and the log density.
 * Both work in log-probability space, so intervals far in one tail (e.g. [8, 9] standard deviations, whose
 * mass 6e-16 is below the rounding error of 1 - Φ) still sample and score correctly.
 *
 * @module
 */
import { logAddExp, logNormalMass, logNormCdf, logNormPdf, normPpfFromLog } from './normal.ts'

/**
 * Draws one standard normal variate truncated to [a, b] by inversion of the cdf, using one value of `random`
 * (uniform in [0, 1)). For N(mu, sigma²) on [low, high], use mu + sigma·truncnormSample(random, (low - mu)/sigma,
 * (high - mu)/sigma). Bounds may be infinite; a === b returns a.
 *
 * @throws RangeError when a > b or either bound is NaN.
 */
export function truncnormSample(random: () => number, a: number, b: number): number {
  if (!(a <= b)) throw new RangeError(`truncnormSample needs a <= b, but got (a=${a}, b=${b})`)
  // Mirror an interval that lies in the upper tail into the lower one, where Φ keeps full relative precision.
  if (a > 0) return -truncnormSample(random, -b, -a)
  if (a === b) return a
  // u = 0 would map to -Infinity on an unbounded interval; the smallest positive double lands in the far tail.
  const u = Math.max(random(), Number.MIN_VALUE)
  const logLow = logNormCdf(a)
  // log Φ(x) = log(Φ(a) + u·(Φ(b) - Φ(a))).
  const logp = logAddExp(logLow, Math.log(u) + logNormalMass(a, b))
  const x = normPpfFromLog(Math.min(logp, 0))
  // Rounding can step a hair outside the interval; the answer must not.
  return Math.min(Math.max(x, a), b)
}

/**
 * Computes the log density at x of N(mu, sigma²) truncated to [low, high]; -Infinity outside the interval.
 * Stable when the interval holds almost no mass (far in either tail).
 */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (!(sigma > 0)) throw new RangeError(`truncnormLogPdf needs sigma > 0, but got sigma=${sigma}`)
  if (!(low <= high)) throw new RangeError(`truncnormLogPdf needs low <= high, but got (low=${low}, high=${high})`)
  if (Number.isNaN(x)) return x
  if (x < low || x > high) return Number.NEGATIVE_INFINITY
  const z = (x - mu) / sigma
  return logNormPdf(z) - Math.log(sigma) - logNormalMass((low - mu) / sigma, (high - mu) / sigma)
}
