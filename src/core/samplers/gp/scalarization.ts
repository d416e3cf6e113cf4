/**
 * Costs the GP is fitted to. One objective: the cost itself. Several objectives: ParEGO's random augmented
 * Chebyshev scalarisation (Knowles 2006) — each objective min-max normalised over the observations, a weight vector
 * drawn uniformly from the simplex per ask, and s = max_j w_j·f_j + 0.05·Σ_j w_j·f_j — so successive asks
 * aim at different parts of the Pareto front with the single-objective machinery.
 *
 * @module
 */
import type { Rng } from '../../rng.ts'

/** The scalar cost (lower is better) of each of the n rows of a row-major n×m cost matrix. */
export function scalarizeCosts(costs: Float64Array, n: number, m: number, rng: Rng): Float64Array {
  if (m === 1) return costs.slice(0, n)
  const lo = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
  const hi = new Float64Array(m).fill(Number.NEGATIVE_INFINITY)
  for (let a = 0; a < n; a++)
    for (let j = 0; j < m; j++) {
      lo[j] = Math.min(lo[j], costs[a * m + j])
      hi[j] = Math.max(hi[j], costs[a * m + j])
    }
  // Uniform on the simplex: normalised exponential variates.
  const w = Float64Array.from({ length: m }, () => -Math.log(1 - rng.random()))
  const sum = w.reduce((s, v) => s + v, 0)
  for (let j = 0; j < m; j++) w[j] /= sum
  const out = new Float64Array(n)
  for (let a = 0; a < n; a++) {
    let max = Number.NEGATIVE_INFINITY
    let lin = 0
    for (let j = 0; j < m; j++) {
      const range = hi[j] - lo[j]
      const f = range > 0 ? (costs[a * m + j] - lo[j]) / range : 0
      max = Math.max(max, w[j] * f)
      lin += w[j] * f
    }
    out[a] = max + 0.05 * lin
  }
  return out
}
