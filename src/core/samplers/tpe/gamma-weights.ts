/**
 * How many trials count as "good" (gamma) and how much each observation weighs in the Parzen estimators.
 * The defaults follow Optuna's modern TPE: the best 10 % (at most 25) are good, and older trials fade out
 * linearly once there are more than 25 of them.
 */

/** Number of "good" trials out of `n`: `n` → how many go to the below (good) estimator. */
export type GammaFunction = (n: number) => number

/** Weights of `n` observations ordered from oldest to newest; the result has length `n`. */
export type WeightsFunction = (n: number) => Float64Array

/** Optuna's default gamma: ceil(0.1·n), at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25)
}

/** Hyperopt's gamma: ceil(0.25·√n), at most 25. */
export function hyperoptGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25)
}

/**
 * Optuna's default weights: all ones up to 25 observations; beyond that the newest 25 weigh 1 and the older
 * ones ramp linearly from 1/n up to 1, so the model slowly forgets the early, mostly random trials.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1)
  if (n < 25) return w
  const m = n - 25
  // np.linspace(1/n, 1, m): evenly spaced, both ends included.
  for (let i = 0; i < m; i++) w[i] = m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)
  return w
}

/** Every observation weighs the same. */
export function uniformWeights(n: number): Float64Array {
  return new Float64Array(n).fill(1)
}
