/**
 * Input warping (Snoek et al. 2014, "Input Warping for Bayesian Optimization of Non-Stationary Functions"; BoTorch's
 * `Warp`): each numeric input x ∈ [0, 1] passes through the Kumaraswamy CDF K(x) = 1 − (1 − x^a)^b before the
 * kernel sees it, with a and b fitted with the other hyperparameters. a, b < 1 stretch the ends of the range,
 * a, b > 1 its middle, a ≠ b one end more than the other; a = b = 1 is the identity.
 *
 * Why: a stationary kernel assumes the function varies at one rate across a dimension. A learning rate on a log
 * scale is flat over its low decades and changes fast near divergence; the warp lets the GP spend its lengthscale
 * where the function moves.
 *
 * @module
 */

/** Inputs are squeezed into [EPS, 1 − EPS] first, so log x and log(1 − x^a) stay finite at the bounds. */
const EPS = 1e-7

/** Standard deviation of the log-normal prior on a and b (BoTorch's LogNormal(0, √0.75)). */
export const WARP_PRIOR_SD = Math.sqrt(0.75)

/** Bounds on log a and log b: a, b ∈ [0.1, 10]. */
export const LOG_WARP_BOUND = Math.log(10)

/** The warped value and its derivatives in x, log a and log b. */
export interface WarpDerivatives {
  value: number
  dx: number
  dLogA: number
  dLogB: number
}

/** K(x) = 1 − (1 − x^a)^b for x ∈ [0, 1] (clamped), after squeezing x into [EPS, 1 − EPS]. */
export function kumaraswamy(x: number, a: number, b: number): number {
  const xe = squeeze(x)
  return 1 - (1 - xe ** a) ** b
}

/**
 * K(x) with ∂K/∂x, ∂K/∂log a and ∂K/∂log b, writing into `out`. With u = x^a and v = 1 − u:
 * ∂K/∂x = a·b·x^(a−1)·v^(b−1), ∂K/∂a = b·v^(b−1)·u·log x, ∂K/∂b = −v^b·log v.
 */
export function kumaraswamyDerivatives(x: number, a: number, b: number, out: WarpDerivatives): WarpDerivatives {
  const xe = squeeze(x)
  const lx = Math.log(xe)
  const u = Math.exp(a * lx)
  // log v with v = 1 − u, formed by log1p so it stays accurate when u is tiny.
  const lv = Math.log1p(-u)
  const vb = Math.exp(b * lv)
  const vb1 = Math.exp((b - 1) * lv)
  out.value = 1 - vb
  // The squeeze is part of the map, so its slope (1 − 2·EPS) belongs to ∂K/∂x; outside [0, 1] the clamp is flat.
  out.dx = x < 0 || x > 1 ? 0 : a * b * Math.exp((a - 1) * lx) * vb1 * (1 - 2 * EPS)
  out.dLogA = a * b * vb1 * u * lx
  out.dLogB = -b * vb * lv
  return out
}

/** −log prior of one warp parameter (log a or log b), up to a constant, and its derivative. */
export function warpPriorPenalty(logParam: number): { value: number; grad: number } {
  const s2 = WARP_PRIOR_SD * WARP_PRIOR_SD
  return { value: (logParam * logParam) / (2 * s2), grad: logParam / s2 }
}

function squeeze(x: number): number {
  return EPS + (1 - 2 * EPS) * Math.min(1, Math.max(0, x))
}
