import type { Rng } from '../../rng.ts'

/**
 * Simulated binary crossover (Deb & Agrawal 1995) of two parents in the unit cube, per coordinate with
 * probability 1/2, using the bounded form of Deb's NSGA-II code so children stay in [0, 1]. Returns one child.
 */
export function sbx(p1: readonly number[], p2: readonly number[], rng: Rng, eta = 15): number[] {
  return p1.map((a, i) => {
    const b = p2[i]
    if (rng.random() > 0.5 || Math.abs(a - b) < 1e-14) return rng.random() < 0.5 ? a : b
    const y1 = Math.min(a, b)
    const y2 = Math.max(a, b)
    const u = rng.random()
    const child = (beta: number, sign: -1 | 1) => {
      const alpha = 2 - beta ** -(eta + 1)
      const bq = u <= 1 / alpha ? (u * alpha) ** (1 / (eta + 1)) : (1 / (2 - u * alpha)) ** (1 / (eta + 1))
      return 0.5 * (y1 + y2 + sign * bq * (y2 - y1))
    }
    const c1 = child(1 + (2 * y1) / (y2 - y1), -1)
    const c2 = child(1 + (2 * (1 - y2)) / (y2 - y1), 1)
    const c = rng.random() < 0.5 ? c1 : c2
    return Math.min(1, Math.max(0, c))
  })
}

/** Uniform crossover: each coordinate from the first parent, or with probability `swap` from the second. */
export function uniformCrossover<T>(p1: readonly T[], p2: readonly T[], rng: Rng, swap = 0.5): T[] {
  return p1.map((a, i) => (rng.random() < swap ? p2[i] : a))
}

/**
 * Polynomial mutation (Deb & Goyal 1996) in the unit cube, bounded form: each coordinate mutates with
 * probability `prob`, by a perturbation whose spread shrinks as `eta` grows.
 */
export function polynomialMutation(x: readonly number[], rng: Rng, prob: number, eta = 20): number[] {
  return x.map((v) => {
    if (rng.random() >= prob) return v
    const u = rng.random()
    const d1 = v
    const d2 = 1 - v
    const pow = 1 / (eta + 1)
    let dq: number
    if (u < 0.5) {
      const xy = 1 - d1
      dq = (2 * u + (1 - 2 * u) * xy ** (eta + 1)) ** pow - 1
    } else {
      const xy = 1 - d2
      dq = 1 - (2 * (1 - u) + 2 * (u - 0.5) * xy ** (eta + 1)) ** pow
    }
    return Math.min(1, Math.max(0, v + dq))
  })
}
