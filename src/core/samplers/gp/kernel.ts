/**
 * The Matérn-5/2 ARD kernel over mixed inputs, as in Optuna's GPSampler: numeric dimensions contribute
 * w_i·(x_i − x'_i)², categorical dimensions w_i·[x_i ≠ x'_i] (Hamming distance with one lengthscale per
 * categorical), where w_i = 1/ℓ_i² is the inverse squared lengthscale; k = s·m(r²) with output scale s and
 * m(r²) = (1 + √5·r + 5r²/3)·exp(−√5·r).
 *
 * @module
 */

/** Hyperparameters of the kernel plus the observation noise of the GP. */
export interface KernelParams {
  /** Inverse squared lengthscales w_i = 1/ℓ_i², one per input dimension. */
  readonly invSqLengthscales: Float64Array
  /** Output scale s (the prior variance of f). */
  readonly scale: number
  /** Observation noise variance added on the diagonal. */
  readonly noise: number
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
