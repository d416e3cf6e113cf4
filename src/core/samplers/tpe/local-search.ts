import type { Rng } from '../../rng.ts'
import type { ParzenEstimator } from './parzen-estimator.ts'

/**
 * Greedy hill-climbing on the acquisition log l(x) − log g(x) from the best candidate: each step replaces each
 * coordinate, with probability 1/d (at least one), by the same coordinate of a fresh draw from l, and keeps the
 * move when the acquisition improves. Moves stay on the grid and inside the bounds because they come from l.
 */
export function refineCandidate(
  start: Float64Array,
  startScore: number,
  l: ParzenEstimator,
  g: ParzenEstimator,
  rng: Rng,
  steps: number,
): Float64Array {
  const d = start.length
  let x = start
  let score = startScore
  const draws = l.sample(rng, steps)
  const point = Array.from({ length: d }, () => new Float64Array(1))
  for (let s = 0; s < steps; s++) {
    const forced = rng.int(0, d - 1)
    for (let j = 0; j < d; j++) point[j][0] = j === forced || rng.random() < 1 / d ? draws[j][s] : x[j]
    const value = l.logPdf(point, 1)[0] - g.logPdf(point, 1)[0]
    if (value > score) {
      score = value
      x = Float64Array.from(point, (col) => col[0])
    }
  }
  return x
}
