import type { Rng } from '../../rng.ts'

/** A categorical solution (one choice index per categorical parameter) and its rank score (lower is better). */
export interface CategoricalSolution {
  readonly c: readonly number[]
  readonly value: number
}

/**
 * The categorical half of CatCMA (Hamano et al., GECCO 2024; `cmaes.CatCMA`): one categorical distribution per
 * parameter, updated by the adaptive stochastic natural gradient (ASNG, Akimoto et al. 2019) with the same
 * ranking as the CMA update, and a margin that keeps every choice's probability at least `qMin` so no choice
 * is ever ruled out for good. It replaces the independent random sampling of categoricals that Optuna's
 * CMA-ES does, so choices that keep winning are proposed more often.
 */
export class CategoricalModel {
  /** Probabilities per parameter. */
  readonly q: number[][]
  private readonly qMin: number[]
  private readonly weights: number[]
  private readonly paramSum: number
  private delta = 1
  private bigDelta = 1
  private gamma = 0
  private s: number[]

  constructor(
    readonly sizes: readonly number[],
    popsize: number,
    init?: readonly (readonly number[])[],
  ) {
    const nCat = sizes.length
    this.q = init ? init.map((r) => [...r]) : sizes.map((k) => new Array(k).fill(1 / k))
    this.qMin = sizes.map((k) => (1 - 0.73 ** (1 / nCat)) / (k - 1))
    const mu = Math.floor(popsize / 2)
    // CatCMA's weights: positive for the best μ+1, zero for the rest.
    const wPrime = Array.from({ length: popsize }, (_, i) =>
      i <= mu ? Math.log((popsize + 1) / 2) - Math.log(i + 1) : 0,
    )
    const total = wPrime.reduce((a, b) => a + b, 0)
    this.weights = wPrime.map((w) => w / total)
    this.paramSum = sizes.reduce((a, k) => a + k - 1, 0)
    this.s = new Array(this.paramSum).fill(0)
  }

  /** Draws one choice index per parameter. */
  sample(rng: Rng): number[] {
    return this.q.map((qi) => {
      const u = rng.random()
      let acc = 0
      for (let k = 0; k < qi.length; k++) {
        acc += qi[k]
        if (u < acc) return k
      }
      return qi.length - 1
    })
  }

  /** Updates the distributions from `popsize` ranked solutions. */
  tell(solutions: readonly CategoricalSolution[]): void {
    const sorted = [...solutions].sort((a, b) => a.value - b.value)
    const ngrad = this.q.map((qi, i) => {
      const g = qi.map((p) => -p * this.weights.reduce((a, w) => a + w, 0))
      sorted.forEach((sol, k) => {
        g[sol.c[i]] += this.weights[k]
      })
      return g
    })
    // Square root of the Fisher information times the gradient (Akimoto et al. 2019, appendix B).
    const sqF: number[] = []
    this.q.forEach((qi, i) => {
      const K = qi.length
      const qK = qi[K - 1]
      let head = 0
      for (let k = 0; k < K - 1; k++) head += ngrad[i][k]
      for (let k = 0; k < K - 1; k++)
        sqF.push(ngrad[i][k] / Math.sqrt(qi[k]) + (Math.sqrt(qi[k]) * head) / (qK + Math.sqrt(qK)))
    })
    const pnorm = Math.hypot(...sqF) + 1e-30
    const eps = this.delta / pnorm
    this.q.forEach((qi, i) => {
      for (let k = 0; k < qi.length; k++) qi[k] += eps * ngrad[i][k]
    })
    this.delta = 1 / this.bigDelta
    const beta = this.delta / Math.sqrt(this.paramSum)
    this.s = this.s.map((v, k) => (1 - beta) * v + (Math.sqrt(beta * (2 - beta)) * sqF[k]) / pnorm)
    this.gamma = (1 - beta) ** 2 * this.gamma + beta * (2 - beta)
    const sNorm2 = this.s.reduce((a, v) => a + v * v, 0)
    this.bigDelta *= Math.exp(beta * (this.gamma - sNorm2 / 1.5))
    this.applyMargin()
  }

  private applyMargin(): void {
    this.q.forEach((qi, i) => {
      const K = qi.length
      const qMin = this.qMin[i]
      for (let k = 0; k < K; k++) qi[k] = Math.max(qi[k], qMin)
      const sum = qi.reduce((a, b) => a + b, 0)
      const tmp = sum - qMin * K
      if (tmp > 0) for (let k = 0; k < K; k++) qi[k] -= ((sum - 1) * (qi[k] - qMin)) / tmp
      const norm = qi.reduce((a, b) => a + b, 0)
      for (let k = 0; k < K; k++) qi[k] /= norm
    })
  }
}
