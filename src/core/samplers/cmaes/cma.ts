import { EigenvalueDecomposition, Matrix } from 'ml-matrix'
import type { Rng } from '../../rng.ts'

const EPS = 1e-8
const SIGMA_MAX = 1e32

/** One evaluated solution: the vector the distribution produced and its score (lower is better). */
export interface CmaSolution {
  readonly x: readonly number[]
  readonly value: number
}

/** Options of `Cma`. */
export interface CmaOptions {
  readonly mean: readonly number[]
  readonly sigma: number
  /** λ. @default 4 + ⌊3 ln n⌋ */
  readonly populationSize?: number
}

/** The default population size of CMA-ES for `n` dimensions: 4 + ⌊3 ln n⌋. */
export function defaultPopulationSize(n: number): number {
  return 4 + Math.floor(3 * Math.log(Math.max(1, n)))
}

/**
 * (μ/μ_w, λ)-CMA-ES with active (negative) recombination weights, as in Hansen's tutorial (arXiv:1604.00772) and
 * the CyberAgentAILab `cmaes` package Optuna uses: weighted recombination of the mean, cumulative step-size
 * adaptation, rank-one plus rank-μ covariance update, and the usual termination tests. Bounds are the caller's
 * business (`sample` draws unconstrained); the state is plain numbers so it can be replayed from trial history.
 */
export class Cma {
  readonly n: number
  readonly popsize: number
  readonly mu: number
  readonly weights: number[]
  readonly muEff: number
  private readonly cc: number
  private readonly c1: number
  private readonly cmu: number
  private readonly cSigma: number
  private readonly dSigma: number
  private readonly chiN: number
  private readonly tolx: number
  private readonly funhistTerm: number
  private readonly funhist: number[] = []

  mean: number[]
  sigma: number
  C: number[][]
  pSigma: number[]
  pc: number[]
  generation = 0
  private eig: { B: number[][]; D: number[] } | undefined

  constructor(opts: CmaOptions) {
    const n = opts.mean.length
    this.n = n
    const lambda = opts.populationSize ?? defaultPopulationSize(n)
    this.popsize = lambda
    const mu = Math.floor(lambda / 2)
    this.mu = mu
    const wPrime = Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1))
    const sum = (a: number[]) => a.reduce((s, v) => s + v, 0)
    const pos = wPrime.slice(0, mu)
    const neg = wPrime.slice(mu)
    const muEff = sum(pos) ** 2 / sum(pos.map((w) => w * w))
    const muEffMinus = neg.length > 0 ? sum(neg) ** 2 / Math.max(EPS, sum(neg.map((w) => w * w))) : 0
    this.muEff = muEff
    const alphaCov = 2
    const c1 = alphaCov / ((n + 1.3) ** 2 + muEff)
    const cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2))
    const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu))
    const positiveSum = sum(wPrime.filter((w) => w > 0))
    const negativeSum = Math.abs(sum(wPrime.filter((w) => w < 0)))
    this.weights = wPrime.map((w) => (w >= 0 ? w / positiveSum : (minAlpha / Math.max(EPS, negativeSum)) * w))
    this.c1 = c1
    this.cmu = cmu
    this.cSigma = (muEff + 2) / (n + muEff + 5)
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + this.cSigma
    this.cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n)
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n))
    this.mean = [...opts.mean]
    this.sigma = opts.sigma
    this.C = identity(n)
    this.pSigma = new Array(n).fill(0)
    this.pc = new Array(n).fill(0)
    this.tolx = 1e-12 * opts.sigma
    this.funhistTerm = 10 + Math.ceil((30 * n) / lambda)
  }

  /** B (eigenvectors as columns) and D (square roots of the eigenvalues) of C, cached until C changes. */
  eigen(): { B: number[][]; D: number[] } {
    if (this.eig !== undefined) return this.eig
    const n = this.n
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) this.C[i][j] = this.C[j][i] = (this.C[i][j] + this.C[j][i]) / 2
    const evd = new EigenvalueDecomposition(new Matrix(this.C), { assumeSymmetric: true })
    const B = evd.eigenvectorMatrix.to2DArray()
    const D = evd.realEigenvalues.map((v) => Math.sqrt(v < 0 ? EPS : v))
    // Rebuild C from its clipped spectrum so it stays positive definite.
    this.C = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0
        for (let k = 0; k < n; k++) s += B[i][k] * D[k] * D[k] * B[j][k]
        return s
      }),
    )
    this.eig = { B, D }
    return this.eig
  }

  /** Draws x ~ N(m, σ²C) without regard to bounds. */
  sample(rng: Rng): number[] {
    const { B, D } = this.eigen()
    const z = Array.from({ length: this.n }, () => rng.normal())
    return this.mean.map((m, i) => {
      let y = 0
      for (let k = 0; k < this.n; k++) y += B[i][k] * D[k] * z[k]
      return m + this.sigma * y
    })
  }

  /** Updates the distribution from exactly `popsize` solutions (any order). */
  tell(solutions: readonly CmaSolution[]): void {
    const n = this.n
    const sorted = [...solutions].sort((a, b) => a.value - b.value)
    this.generation++
    const fi = 2 * (this.generation % this.funhistTerm)
    this.funhist[fi] = sorted[0].value
    this.funhist[fi + 1] = sorted[sorted.length - 1].value

    const { B, D } = this.eigen()
    this.eig = undefined
    const y = sorted.map((s) => s.x.map((v, i) => (v - this.mean[i]) / this.sigma))
    const yw = new Array(n).fill(0)
    for (let k = 0; k < this.mu; k++) for (let i = 0; i < n; i++) yw[i] += this.weights[k] * y[k][i]
    for (let i = 0; i < n; i++) this.mean[i] += this.sigma * yw[i]

    // C^(-1/2) = B D^(-1) Bᵀ
    const invSqrt = (v: readonly number[]) => {
      const t = D.map((d, k) => {
        let s = 0
        for (let i = 0; i < n; i++) s += B[i][k] * v[i]
        return s / d
      })
      return Array.from({ length: n }, (_, i) => {
        let s = 0
        for (let k = 0; k < n; k++) s += B[i][k] * t[k]
        return s
      })
    }
    const cs = this.cSigma
    const cyw = invSqrt(yw)
    const fs = Math.sqrt(cs * (2 - cs) * this.muEff)
    this.pSigma = this.pSigma.map((p, i) => (1 - cs) * p + fs * cyw[i])
    const normPs = Math.hypot(...this.pSigma)
    this.sigma = Math.min(SIGMA_MAX, this.sigma * Math.exp((cs / this.dSigma) * (normPs / this.chiN - 1)))

    const left = normPs / Math.sqrt(1 - (1 - cs) ** (2 * (this.generation + 1)))
    const hSigma = left < (1.4 + 2 / (n + 1)) * this.chiN ? 1 : 0
    const fc = Math.sqrt(this.cc * (2 - this.cc) * this.muEff)
    this.pc = this.pc.map((p, i) => (1 - this.cc) * p + hSigma * fc * yw[i])
    const wio = this.weights.map((w, k) => {
      if (w >= 0) return w
      const cy = invSqrt(y[k])
      return (w * n) / (cy.reduce((s, v) => s + v * v, 0) + EPS)
    })
    const deltaH = (1 - hSigma) * this.cc * (2 - this.cc)
    const wsum = this.weights.reduce((s, w) => s + w, 0)
    const decay = 1 + this.c1 * deltaH - this.c1 - this.cmu * wsum
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        let rankMu = 0
        for (let k = 0; k < y.length; k++) rankMu += wio[k] * y[k][i] * y[k][j]
        const v = decay * this.C[i][j] + this.c1 * this.pc[i] * this.pc[j] + this.cmu * rankMu
        this.C[i][j] = v
        this.C[j][i] = v
      }
  }

  /** The standard termination tests (flat fitness, tiny or exploding steps, no effect, ill-conditioning). */
  shouldStop(): boolean {
    const n = this.n
    if (!this.mean.every(Number.isFinite) || !Number.isFinite(this.sigma)) return true
    const { B, D } = this.eigen()
    const dC = this.C.map((row, i) => row[i])
    if (this.generation > this.funhistTerm && this.funhist.length >= 2 * this.funhistTerm) {
      const vals = this.funhist.filter((v) => v !== undefined)
      if (Math.max(...vals) - Math.min(...vals) < 1e-12) return true
    }
    if (dC.every((c) => this.sigma * c < this.tolx) && this.pc.every((p) => this.sigma * p < this.tolx)) return true
    if (this.sigma * Math.max(...D) > 1e4) return true
    if (this.mean.some((m, i) => m === m + 0.2 * this.sigma * Math.sqrt(dC[i]))) return true
    const a = this.generation % n
    if (this.mean.every((m, i) => m === m + 0.1 * this.sigma * D[a] * B[i][a])) return true
    return Math.max(...D) / Math.min(...D) > 1e14
  }
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
}
