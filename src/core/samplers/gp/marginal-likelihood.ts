/**
 * Fitting the GP's hyperparameters: the negative log marginal likelihood plus weak priors (Optuna GPSampler's:
 * −(0.1/w + 0.1·w) per inverse squared lengthscale w, Gamma(2, 1) on the output scale, Gamma(1.1, 30) on the
 * noise), with its analytic gradient, minimised by L-BFGS-B over log-parameters.
 *
 * @module
 */
import { minimizeLbfgsB } from '../../math/lbfgs.ts'
import { matern52, matern52Grad, scaledSqDist } from './kernel.ts'
import { choleskyInPlace, choleskyInverse, choleskySolve } from './linalg.ts'

/** The smallest noise variance (of standardised targets): keeps the kernel matrix well conditioned. */
export const MIN_NOISE = 1e-6

/** Training inputs and standardised targets of one GP. */
export interface GpData {
  /** Row-major n×d inputs (see SpaceEncoding). */
  readonly x: Float64Array
  readonly y: Float64Array
  readonly n: number
  readonly d: number
  readonly categorical: Uint8Array
}

/**
 * Hyperparameters as optimised: θ = [log w_1 … log w_d, log s, log(σ² − MIN_NOISE)]. With a fixed noise the last
 * entry is ignored.
 */
export type Theta = Float64Array

/** The starting point of a cold fit: unit lengthscales, unit scale, noise 0.01 (as Optuna). */
export function defaultTheta(d: number): Theta {
  const t = new Float64Array(d + 2)
  t[d + 1] = Math.log(0.01 - MIN_NOISE)
  return t
}

/** Decodes θ into (w, s, σ²). */
export function unpackTheta(theta: Theta, d: number, fixedNoise: boolean) {
  const w = new Float64Array(d)
  for (let i = 0; i < d; i++) w[i] = Math.exp(theta[i])
  return {
    invSqLengthscales: w,
    scale: Math.exp(theta[d]),
    noise: fixedNoise ? MIN_NOISE : Math.exp(theta[d + 1]) + MIN_NOISE,
  }
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/**
 * −(log p(y | θ) + log prior(θ)) and its gradient with respect to θ (written into `grad`, length d + 2; the
 * noise entry is 0 when `fixedNoise`). Returns +Infinity when the kernel matrix is not positive definite.
 *
 * Gradient: ∂/∂θ_j of −log p(y|θ) is −½·tr((ααᵀ − C⁻¹)·∂C/∂θ_j) with C = K + σ²I and α = C⁻¹y.
 */
export function negLogPosterior(data: GpData, theta: Theta, grad: Float64Array, fixedNoise: boolean): number {
  const { x, y, n, d, categorical } = data
  const { invSqLengthscales: w, scale: s, noise } = unpackTheta(theta, d, fixedNoise)
  const c = new Float64Array(n * n)
  // dk/d(r²) per pair (lower triangle), reused by the lengthscale gradient.
  const g = new Float64Array(n * n)
  // K_ab (lower triangle), kept because the factorisation overwrites c.
  const k = new Float64Array(n * n)
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) {
      const r2 = scaledSqDist(x, a, x, b, d, w, categorical)
      const kab = s * matern52(r2)
      c[a * n + b] = kab
      k[a * n + b] = kab
      g[a * n + b] = s * matern52Grad(r2)
    }
    c[a * n + a] = s + noise
  }
  if (!choleskyInPlace(c, n)) return Number.POSITIVE_INFINITY
  const l = c
  const alpha = choleskySolve(l, n, y)
  let value = n * HALF_LOG_2PI
  for (let a = 0; a < n; a++) value += 0.5 * y[a] * alpha[a] + Math.log(l[a * n + a])
  const cinv = choleskyInverse(l, n)
  // Lengthscales: −Σ_{a>b} W_ab·g_ab·w_i·d_ab,i² with W = ααᵀ − C⁻¹; scale: −(Σ_{a>b} W_ab·K_ab + ½·s·Σ W_aa).
  const gw = new Float64Array(d)
  let gScaleOff = 0
  let traceW = 0
  for (let a = 0; a < n; a++) {
    const oa = a * d
    const ra = a * n
    traceW += alpha[a] * alpha[a] - cinv[ra + a]
    for (let b = 0; b < a; b++) {
      const wab = alpha[a] * alpha[b] - cinv[ra + b]
      const gab = wab * g[ra + b]
      const ob = b * d
      for (let i = 0; i < d; i++) {
        const diff = x[oa + i] - x[ob + i]
        gw[i] += gab * (categorical[i] ? (diff !== 0 ? 1 : 0) : diff * diff)
      }
      gScaleOff += wab * k[ra + b]
    }
  }
  for (let i = 0; i < d; i++) grad[i] = -gw[i] * w[i]
  grad[d] = -(gScaleOff + 0.5 * s * traceW)
  grad[d + 1] = fixedNoise ? 0 : -0.5 * (noise - MIN_NOISE) * traceW
  // Priors (maximised, so subtracted here).
  for (let i = 0; i < d; i++) {
    value += 0.1 / w[i] + 0.1 * w[i]
    grad[i] += -0.1 / w[i] + 0.1 * w[i]
  }
  value -= Math.log(s) - s
  grad[d] -= 1 - s
  if (!fixedNoise) {
    value -= 0.1 * Math.log(noise) - 30 * noise
    grad[d + 1] -= (0.1 / noise - 30) * (noise - MIN_NOISE)
  }
  return value
}

/** Box for θ: lengthscales ℓ in about [0.01, 100], scale in [1e-3, 1e3], noise up to 10 (standardised units). */
function thetaBounds(d: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(d + 2)
  const upper = new Float64Array(d + 2)
  for (let i = 0; i < d; i++) {
    lower[i] = Math.log(1e-4)
    upper[i] = Math.log(1e4)
  }
  lower[d] = Math.log(1e-3)
  upper[d] = Math.log(1e3)
  lower[d + 1] = Math.log(1e-9)
  upper[d + 1] = Math.log(10)
  return { lower, upper }
}

/**
 * Maximises the log posterior of θ from `init` (a previous fit, or `defaultTheta`), at most `maxIter` L-BFGS-B
 * iterations. Falls back to `init` when the optimiser finds nothing finite.
 */
export function fitHyperparameters(data: GpData, init: Theta, maxIter: number, fixedNoise: boolean): Theta {
  const { lower, upper } = thetaBounds(data.d)
  const start = Float64Array.from(init, (v, i) => Math.min(upper[i], Math.max(lower[i], v)))
  const res = minimizeLbfgsB((t, g) => negLogPosterior(data, t, g, fixedNoise), start, {
    lower,
    upper,
    maxIter,
    gtol: 1e-2,
    ftol: 1e-7,
  })
  return Number.isFinite(res.f) ? res.x : start
}
