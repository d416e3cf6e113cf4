/**
 * Fitting the GP's hyperparameters: the negative log marginal likelihood plus weak priors (Optuna GPSampler's:
 * −(0.1/w + 0.1·w) per inverse squared lengthscale w, Gamma(2, 1) on the output scale, Gamma(1.1, 30) on the
 * noise; a log-normal prior on the input-warp parameters), with its analytic gradient, minimised by L-BFGS-B over
 * log-parameters. The kernel compares features (see feature-map.ts), one lengthscale per feature.
 *
 * @module
 */
import { minimizeLbfgsB } from '../../math/lbfgs.ts'
import { type FeatureMap, featurize, type InputWarp, identityFeatureMap } from './feature-map.ts'
import { LOG_WARP_BOUND, warpPriorPenalty } from './input-warping.ts'
import type { KernelParams } from './kernel.ts'
import { additiveValue, matern52, matern52Grad, prepareAdditive, scaledSqDist } from './kernel.ts'
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
  /** How inputs become kernel features; the identity map (features = inputs) when absent. */
  readonly features?: FeatureMap
}

/** The feature map of `data` (identity when it has none). */
export function featureMapOf(data: GpData): FeatureMap {
  return data.features ?? identityFeatureMap(data.d, data.categorical)
}

/**
 * Hyperparameters as optimised: θ = [log w_1 … log w_D (one per feature), log s, log(σ² − MIN_NOISE),
 * log a_1 … log a_W, log b_1 … log b_W (one pair per warped input), and with an additive part log s_add,
 * log w′_1 … log w′_D]. With a fixed noise the noise entry is ignored.
 */
export type Theta = Float64Array

/** Where each group of θ starts, for a feature map. */
function layout(D: number, map: FeatureMap | undefined) {
  const nw = map?.warped.length ?? 0
  const add = D + 2 + 2 * nw
  return { D, nw, add, length: map?.additive ? add + 1 + D : add }
}

/**
 * The starting point of a cold fit: unit lengthscales, unit scale, noise 0.01 (as Optuna), identity warps, an
 * additive part of unit scale. `d` is the number of inputs; with a feature map, it sets the length.
 */
export function defaultTheta(d: number, features?: FeatureMap): Theta {
  const L = layout(features?.size ?? d, features)
  const t = new Float64Array(L.length)
  t[L.D + 1] = Math.log(0.01 - MIN_NOISE)
  return t
}

/** Decodes θ into (w, s, σ², warp); `d` is the number of inputs, `features` the map when not the identity. */
export function unpackTheta(theta: Theta, d: number, fixedNoise: boolean, features?: FeatureMap): KernelParams {
  const D = features?.size ?? d
  const w = new Float64Array(D)
  for (let i = 0; i < D; i++) w[i] = Math.exp(theta[i])
  const nw = features?.warped.length ?? 0
  const warp: InputWarp | undefined =
    nw > 0
      ? {
          a: Float64Array.from({ length: nw }, (_, j) => Math.exp(theta[D + 2 + j])),
          b: Float64Array.from({ length: nw }, (_, j) => Math.exp(theta[D + 2 + nw + j])),
        }
      : undefined
  const L = layout(D, features)
  const additive = features?.additive
    ? {
        scale: Math.exp(theta[L.add]),
        invSqLengthscales: Float64Array.from({ length: D }, (_, i) => Math.exp(theta[L.add + 1 + i])),
      }
    : undefined
  return {
    invSqLengthscales: w,
    scale: Math.exp(theta[D]),
    noise: fixedNoise ? MIN_NOISE : Math.exp(theta[D + 1]) + MIN_NOISE,
    warp,
    additive,
  }
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/**
 * −(log p(y | θ) + log prior(θ)) and its gradient with respect to θ (written into `grad`, the length of θ; the
 * noise entry is 0 when `fixedNoise`). Returns +Infinity when the kernel matrix is not positive definite.
 *
 * Gradient: ∂/∂θ_j of −log p(y|θ) is −½·tr((ααᵀ − C⁻¹)·∂C/∂θ_j) with C = K + σ²I and α = C⁻¹y. A warp parameter
 * moves the features z of one input, so ∂C_ab/∂log a_i = g_ab·2·w_i·(z_ai − z_bi)·(∂z_ai/∂log a_i − ∂z_bi/∂log a_i).
 */
export function negLogPosterior(data: GpData, theta: Theta, grad: Float64Array, fixedNoise: boolean): number {
  const { x, y, n } = data
  const map = featureMapOf(data)
  const D = map.size
  const nw = map.warped.length
  const p = unpackTheta(theta, data.d, fixedNoise, map)
  const { invSqLengthscales: w, scale: s, noise } = p
  const add = p.additive
  const sAdd = add ? add.scale : 0
  const wAdd = add ? add.invSqLengthscales : new Float64Array(D)
  const prepared = add ? prepareAdditive(add) : undefined
  // (s_add/D)·dm/d(r²) of each feature's additive term, per pair (a > b at (a(a−1)/2 + b)·D), for the gradient.
  const mGrad = add ? new Float64Array(((n * (n - 1)) / 2) * D) : undefined
  const addOffset = layout(D, map).add
  const z = new Float64Array(n * D)
  const dA = new Float64Array(n * nw)
  const dB = new Float64Array(n * nw)
  featurize(map, p.warp, x, n, z, { dLogA: dA, dLogB: dB })
  const categorical = map.categorical
  const c = new Float64Array(n * n)
  // dk/d(r²) per pair (lower triangle), reused by the lengthscale gradient.
  const g = new Float64Array(n * n)
  // ARD part K_ab and additive part A_ab (lower triangles), kept because the factorisation overwrites c.
  const k = new Float64Array(n * n)
  const ka = add ? new Float64Array(n * n) : k
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) {
      const r2 = scaledSqDist(z, a, z, b, D, w, categorical)
      const kab = s * matern52(r2)
      k[a * n + b] = kab
      g[a * n + b] = s * matern52Grad(r2)
      if (prepared)
        ka[a * n + b] = additiveValue(z, a, z, b, D, prepared, categorical, mGrad, ((a * (a - 1)) / 2 + b) * D)
      c[a * n + b] = add ? kab + ka[a * n + b] : kab
    }
    c[a * n + a] = s + sAdd + noise
  }
  if (!choleskyInPlace(c, n)) return Number.POSITIVE_INFINITY
  const l = c
  const alpha = choleskySolve(l, n, y)
  let value = n * HALF_LOG_2PI
  for (let a = 0; a < n; a++) value += 0.5 * y[a] * alpha[a] + Math.log(l[a * n + a])
  const cinv = choleskyInverse(l, n)
  // Lengthscales: −Σ_{a>b} W_ab·g_ab·w_i·d_ab,i² with W = ααᵀ − C⁻¹; scale: −(Σ_{a>b} W_ab·K_ab + ½·s·Σ W_aa).
  const gw = new Float64Array(D)
  const gwAdd = new Float64Array(D)
  const gA = new Float64Array(nw)
  const gB = new Float64Array(nw)
  // W_ab·(s_add/D)·m′(w′_i·δ_i²) per feature of the current pair (0 without an additive part).
  const mAdd = new Float64Array(D)
  let gScaleOff = 0
  let gAddOff = 0
  let traceW = 0
  for (let a = 0; a < n; a++) {
    const oa = a * D
    const ra = a * n
    traceW += alpha[a] * alpha[a] - cinv[ra + a]
    for (let b = 0; b < a; b++) {
      const wab = alpha[a] * alpha[b] - cinv[ra + b]
      const gab = wab * g[ra + b]
      const ob = b * D
      const op = ((a * (a - 1)) / 2 + b) * D
      for (let i = 0; i < D; i++) {
        const diff = z[oa + i] - z[ob + i]
        const d2 = categorical[i] ? (diff !== 0 ? 1 : 0) : diff * diff
        gw[i] += gab * d2
        if (mGrad) {
          mAdd[i] = wab * mGrad[op + i]
          gwAdd[i] += mAdd[i] * d2
        }
      }
      for (let j = 0; j < nw; j++) {
        const i = map.warped[j]
        // ∂C_ab/∂z_ai·W_ab over both parts: 2·δ_i·(W_ab·g_ab·w_i + W_ab·(s_add/D)·m′_i·w′_i).
        const t = 2 * (gab * w[i] + mAdd[i] * wAdd[i]) * (z[oa + i] - z[ob + i])
        gA[j] += t * (dA[a * nw + j] - dA[b * nw + j])
        gB[j] += t * (dB[a * nw + j] - dB[b * nw + j])
      }
      gScaleOff += wab * k[ra + b]
      if (add) gAddOff += wab * ka[ra + b]
    }
  }
  for (let i = 0; i < D; i++) grad[i] = -gw[i] * w[i]
  grad[D] = -(gScaleOff + 0.5 * s * traceW)
  grad[D + 1] = fixedNoise ? 0 : -0.5 * (noise - MIN_NOISE) * traceW
  // Priors (maximised, so subtracted here).
  for (let i = 0; i < D; i++) {
    value += 0.1 / w[i] + 0.1 * w[i]
    grad[i] += -0.1 / w[i] + 0.1 * w[i]
  }
  value -= Math.log(s) - s
  grad[D] -= 1 - s
  if (!fixedNoise) {
    value -= 0.1 * Math.log(noise) - 30 * noise
    grad[D + 1] -= (0.1 / noise - 30) * (noise - MIN_NOISE)
  }
  for (let j = 0; j < nw; j++) {
    const pa = warpPriorPenalty(theta[D + 2 + j])
    const pb = warpPriorPenalty(theta[D + 2 + nw + j])
    value += pa.value + pb.value
    grad[D + 2 + j] = -gA[j] + pa.grad
    grad[D + 2 + nw + j] = -gB[j] + pb.grad
  }
  if (add) {
    // The same priors as the ARD part: Gamma(2, 1) on the scale, Optuna's lengthscale prior on each w′_i.
    grad[addOffset] = -(gAddOff + 0.5 * sAdd * traceW) - (1 - sAdd)
    value -= Math.log(sAdd) - sAdd
    for (let i = 0; i < D; i++) {
      const wi = wAdd[i]
      value += 0.1 / wi + 0.1 * wi
      grad[addOffset + 1 + i] = -gwAdd[i] * wi - 0.1 / wi + 0.1 * wi
    }
  }
  return value
}

/**
 * Box for θ: lengthscales ℓ in about [0.01, 100], scale in [1e-3, 1e3], noise up to 10 (standardised units), warp
 * parameters in [0.1, 10].
 */
function thetaBounds(map: FeatureMap): { lower: Float64Array; upper: Float64Array } {
  const D = map.size
  const L = layout(D, map)
  const len = L.length
  const lower = new Float64Array(len).fill(-LOG_WARP_BOUND)
  const upper = new Float64Array(len).fill(LOG_WARP_BOUND)
  for (let i = 0; i < D; i++) {
    lower[i] = Math.log(1e-4)
    upper[i] = Math.log(1e4)
  }
  lower[D] = Math.log(1e-3)
  upper[D] = Math.log(1e3)
  lower[D + 1] = Math.log(1e-9)
  upper[D + 1] = Math.log(10)
  if (map.additive) {
    lower[L.add] = Math.log(1e-3)
    upper[L.add] = Math.log(1e3)
    for (let i = 0; i < D; i++) {
      lower[L.add + 1 + i] = Math.log(1e-4)
      upper[L.add + 1 + i] = Math.log(1e4)
    }
  }
  return { lower, upper }
}

/**
 * Maximises the log posterior of θ from `init` (a previous fit, or `defaultTheta`), at most `maxIter` L-BFGS-B
 * iterations. Falls back to `init` when the optimiser finds nothing finite.
 */
export function fitHyperparameters(data: GpData, init: Theta, maxIter: number, fixedNoise: boolean): Theta {
  const { lower, upper } = thetaBounds(featureMapOf(data))
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
