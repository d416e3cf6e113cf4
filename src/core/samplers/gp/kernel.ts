/**
 * The Matérn-5/2 ARD kernel over mixed inputs, as in Optuna's GPSampler: numeric dimensions contribute
 * w_i·(x_i − x'_i)², categorical dimensions w_i·[x_i ≠ x'_i] (Hamming distance with one lengthscale per
 * categorical), where w_i = 1/ℓ_i² is the inverse squared lengthscale; k = s·m(r²) with output scale s and
 * m(r²) = (1 + √5·r + 5r²/3)·exp(−√5·r). Optionally a first-order additive kernel is added (`AdditiveParams`).
 *
 * @module
 */
import type { InputWarp } from './feature-map.ts'

/** Hyperparameters of the kernel plus the observation noise of the GP. */
export interface KernelParams {
  /** Inverse squared lengthscales w_i = 1/ℓ_i², one per input dimension (per feature with a feature map). */
  readonly invSqLengthscales: Float64Array
  /** Output scale s of the ARD part (the prior variance of f is s plus the additive part's scale). */
  readonly scale: number
  /** Observation noise variance added on the diagonal. */
  readonly noise: number
  /** Fitted input warps of the feature map's warped dimensions; none when nothing is warped. */
  readonly warp?: InputWarp
  /** The first-order additive part of the kernel, when the feature map asks for one. */
  readonly additive?: AdditiveParams
}

/**
 * A first-order additive kernel (Duvenaud et al. 2011, "Additive Gaussian Processes"): (s_add / D)·Σ_i m(w′_i·δ_i²)
 * over the D features (Hamming δ for categorical ones), added to the ARD kernel. Why: a function that is mostly a
 * sum of one-dimensional effects (a learning-rate curve plus a dropout curve plus …) is learned from all points at
 * once in each dimension, so noise averages out far faster than in the 10-D ARD kernel alone; the ARD part keeps
 * the interactions.
 */
export interface AdditiveParams {
  /** Variance s_add of the additive part. */
  readonly scale: number
  /** Inverse squared lengthscales w′_i of the one-dimensional components, one per feature. */
  readonly invSqLengthscales: Float64Array
}

/** Per-feature constants of the additive part, computed once per parameter set (the part is evaluated O(n²·D) times). */
export interface PreparedAdditive {
  /** s_add / D. */
  readonly weight: number
  /** √(5·w′_i): the Matérn argument is √5·r = √(5·w′_i)·|δ_i|. */
  readonly root5w: Float64Array
  /** m(w′_i) and dm/d(r²) at w′_i: a categorical feature either matches (m = 1) or not. */
  readonly catValue: Float64Array
  readonly catGrad: Float64Array
}

/** Precomputes the constants of `p`. */
export function prepareAdditive(p: AdditiveParams): PreparedAdditive {
  const w = p.invSqLengthscales
  return {
    weight: p.scale / w.length,
    root5w: Float64Array.from(w, (wi) => Math.sqrt(5 * wi)),
    catValue: Float64Array.from(w, (wi) => matern52(wi)),
    catGrad: Float64Array.from(w, (wi) => matern52Grad(wi)),
  }
}

/**
 * The additive part k_add(z_a, z_b) for rows a of `za` and b of `zb` (row-major, D columns). With `grad`, also
 * writes (s_add/D)·dm/d(r²) of each feature's term into grad[offset + i] (r² = w′_i·δ_i², or w′_i·[δ_i ≠ 0]).
 */
export function additiveValue(
  za: Float64Array,
  a: number,
  zb: Float64Array,
  b: number,
  D: number,
  q: PreparedAdditive,
  categorical: Uint8Array,
  grad?: Float64Array,
  offset = 0,
): number {
  const oa = a * D
  const ob = b * D
  let sum = 0
  for (let i = 0; i < D; i++) {
    const diff = za[oa + i] - zb[ob + i]
    if (categorical[i]) {
      const same = diff === 0
      sum += same ? 1 : q.catValue[i]
      if (grad) grad[offset + i] = q.weight * (same ? -5 / 6 : q.catGrad[i])
    } else {
      // One exp serves m and its derivative: m = (1 + r + r²/3)·e^(−r), dm/d(r²) = −(5/6)·(1 + r)·e^(−r).
      const r = q.root5w[i] * Math.abs(diff)
      const e = Math.exp(-r)
      sum += (1 + r + (r * r) / 3) * e
      if (grad) grad[offset + i] = q.weight * (-5 / 6) * (1 + r) * e
    }
  }
  return q.weight * sum
}

const SQRT5 = Math.sqrt(5)

/** The Matérn-5/2 correlation m(r²) for a squared scaled distance r². */
export function matern52(r2: number): number {
  const r = SQRT5 * Math.sqrt(r2)
  return (1 + r + (r * r) / 3) * Math.exp(-r)
}

/** dm/d(r²) = −(5/6)·(1 + √5·r)·exp(−√5·r); finite at r = 0, so no special case at coincident points. */
export function matern52Grad(r2: number): number {
  const r = SQRT5 * Math.sqrt(r2)
  return (-5 / 6) * (1 + r) * Math.exp(-r)
}

/**
 * The scaled squared distance r² between row a of `xa` and row b of `xb` (both row-major with d columns).
 */
export function scaledSqDist(
  xa: Float64Array,
  a: number,
  xb: Float64Array,
  b: number,
  d: number,
  w: Float64Array,
  categorical: Uint8Array,
): number {
  const oa = a * d
  const ob = b * d
  let s = 0
  for (let i = 0; i < d; i++) {
    const diff = xa[oa + i] - xb[ob + i]
    s += categorical[i] ? (diff !== 0 ? w[i] : 0) : w[i] * diff * diff
  }
  return s
}

/** k(x_a, x_b) = s·m(r²) for rows a of `xa` and b of `xb`. */
export function kernelValue(
  xa: Float64Array,
  a: number,
  xb: Float64Array,
  b: number,
  d: number,
  p: KernelParams,
  categorical: Uint8Array,
): number {
  return p.scale * matern52(scaledSqDist(xa, a, xb, b, d, p.invSqLengthscales, categorical))
}
