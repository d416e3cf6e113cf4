/**
 * Target preprocessing for the GP. Scores (higher is better) are standardised; with `softclip`, scores far on the
 * bad side of the median are first compressed logarithmically.
 *
 * Why: a few diverged runs (e.g. a LoRA fine-tune whose loss jumps to 10.4 while good runs sit near 0.9) dominate
 * the variance of plain standardised targets, so the GP flattens the region that matters and explains the rest as
 * noise. Ranks (a Gaussian copula) would fix that too but throw away how much better the best points are, which
 * EI needs near the optimum. The soft clip keeps the order of every value and the scale of the good half intact,
 * and only bends the bad tail: with robust z = (y − median)/IQR-σ, values below z = −3 become
 * −3 − log(1 + (−z − 3)). Heavy-tailed test functions (Rosenbrock) benefit the same way. The IQR scale
 * tolerates up to about a fifth of diverged runs; beyond a quarter it inflates and the clip barely bends.
 *
 * @module
 */
import type { TargetWarping } from './gp-options.ts'

/** Robust z below which the bad tail is compressed. */
const CLIP_Z = 3

/** Warped, standardised targets (mean 0, variance 1 unless all scores are equal). */
export function warpTargets(scores: ArrayLike<number>, mode: TargetWarping): Float64Array {
  const n = scores.length
  const y = Float64Array.from(scores)
  if (n === 0) return y
  if (mode === 'softclip' && n >= 4) {
    const sorted = Float64Array.from(y).sort()
    const q = (p: number) => {
      const h = (n - 1) * p
      const lo = Math.floor(h)
      return sorted[lo] + (h - lo) * ((sorted[Math.min(n - 1, lo + 1)] ?? sorted[lo]) - sorted[lo])
    }
    const median = q(0.5)
    let scale = (q(0.75) - q(0.25)) / 1.349
    if (!(scale > 0)) scale = standardDeviation(y)
    if (scale > 0) {
      for (let i = 0; i < n; i++) {
        const z = (y[i] - median) / scale
        if (z < -CLIP_Z) y[i] = median + scale * (-CLIP_Z - Math.log1p(-z - CLIP_Z))
      }
    }
  }
  return standardise(y)
}

/** (y − mean) / std in place (std floored at 1e-12 so constant targets stay finite); returns y. */
export function standardise(y: Float64Array): Float64Array {
  const n = y.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += y[i]
  mean /= Math.max(1, n)
  const sd = Math.max(standardDeviation(y), 1e-12)
  for (let i = 0; i < n; i++) y[i] = (y[i] - mean) / sd
  return y
}

function standardDeviation(y: ArrayLike<number>): number {
  const n = y.length
  if (n === 0) return 0
  let mean = 0
  for (let i = 0; i < n; i++) mean += y[i]
  mean /= n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (y[i] - mean) ** 2
  return Math.sqrt(ss / n)
}
