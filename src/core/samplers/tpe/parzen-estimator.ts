import { logNormalMass } from '../../math/normal.ts'
import { truncnormSample } from '../../math/truncnorm.ts'
import type { Rng } from '../../rng.ts'
import { type Dimension, internalWidth } from './dimension.ts'
import { categoricalKernel, numericBandwidths } from './kernels.ts'

/** How the Parzen estimators place and size their kernels. */
export interface ParzenOptions {
  /** Weight of the prior kernel (uniform-ish over the whole range) relative to one observation. */
  readonly priorWeight: number
  /** Keep univariate bandwidths >= range / min(100, 1 + kernels) so no kernel collapses on a point. */
  readonly considerMagicClip: boolean
  /** Univariate bandwidths also count the distance to the range's ends. */
  readonly considerEndpoints: boolean
  /** One joint estimator over all dimensions (Scott-like bandwidth) instead of neighbour-distance bandwidths. */
  readonly multivariate: boolean
  /** Multiplier of the multivariate bandwidth (Optuna: 0.2). */
  readonly bandwidthFactor: number
}

const LOG_SQRT_2PI = 0.9189385332046728
/** Discrete dimensions with at most this many grid points get a per-kernel table of log masses. */
const TABLE_LIMIT = 256

/**
 * A Gaussian-mixture (Parzen) density over a set of dimensions: one kernel per observation plus one prior kernel,
 * truncated normals on numeric dimensions (discretised onto the grid for ints and stepped floats, as Optuna's
 * `_BatchedDiscreteTruncNormDistributions`) and Aitchison-Aitken-like kernels on categorical ones. A kernel is a
 * product over the dimensions, so with one dimension this is the univariate estimator.
 *
 * Everything is stored in flat Float64Arrays, kernel-major, so `logPdf` over many candidates is a tight loop.
 */
export class ParzenEstimator {
  readonly nKernels: number
  private readonly numDims: Extract<Dimension, { kind: 'numeric' }>[] = []
  private readonly numIndex: number[] = []
  private readonly catDims: Extract<Dimension, { kind: 'categorical' }>[] = []
  private readonly catIndex: number[] = []
  /** Per numeric dimension: kernel means, σ and 1/σ (dimension-major, so the inner loops run over kernels). */
  private readonly mu: Float64Array[] = []
  private readonly sigma: Float64Array[] = []
  private readonly invSigma: Float64Array[] = []
  /** Per kernel: log weight plus every term of the log density that does not depend on the point. */
  private readonly base: Float64Array
  /** Cumulative mixture weights, for sampling. */
  private readonly cumWeights: Float64Array
  /** Per categorical dimension: each kernel's observed choice; -1 for the prior kernel. */
  private readonly catObs: Int32Array[] = []
  /** Per categorical dimension: log of the observed choice's mass minus the log of another choice's mass. */
  private readonly catBonus: Float64Array
  private readonly catOnProb: Float64Array
  /** Per discrete dimension (or undefined): log mass of grid point g under kernel k at [g·nKernels + k]. */
  private readonly tables: (Float64Array | undefined)[] = []

  /**
   * @param dims the dimensions, in the order of `obs`
   * @param obs one column per dimension with the internal values of the n observations
   * @param weights n observation weights (not normalised)
   */
  constructor(
    dims: readonly Dimension[],
    obs: readonly Float64Array[],
    weights: Float64Array,
    readonly opts: ParzenOptions,
  ) {
    const n = weights.length
    const nK = n + 1
    this.nKernels = nK
    dims.forEach((d, i) => {
      if (d.kind === 'numeric') {
        this.numDims.push(d)
        this.numIndex.push(i)
      } else {
        this.catDims.push(d)
        this.catIndex.push(i)
      }
    })
    // Mixture weights: the observations' weights and the prior's, normalised (only the prior when n = 0).
    let total = opts.priorWeight
    for (let i = 0; i < n; i++) total += weights[i]
    this.base = new Float64Array(nK)
    this.cumWeights = new Float64Array(nK)
    let acc = 0
    for (let k = 0; k < nK; k++) {
      const w = n === 0 ? 1 : (k < n ? weights[k] : opts.priorWeight) / total
      this.base[k] = Math.log(w)
      acc += w
      this.cumWeights[k] = acc
    }
    for (let j = 0; j < this.numDims.length; j++) this.fitNumeric(j, obs[this.numIndex[j]], n, dims.length)
    this.catBonus = new Float64Array(this.catDims.length)
    this.catOnProb = new Float64Array(this.catDims.length)
    for (let j = 0; j < this.catDims.length; j++) this.fitCategorical(j, obs[this.catIndex[j]], n)
  }

  private fitNumeric(j: number, col: Float64Array, n: number, nDims: number): void {
    const dim = this.numDims[j]
    const nK = this.nKernels
    const sig = numericBandwidths(dim, col, n, nDims, this.opts)
    const width = internalWidth(dim)
    const lo = dim.low - dim.step / 2
    const hi = dim.high + dim.step / 2
    const mu = new Float64Array(nK)
    const sigma = new Float64Array(nK)
    const inv = new Float64Array(nK)
    const base = this.base
    for (let k = 0; k < nK; k++) {
      const m = k < n ? col[k] : 0.5 * (dim.low + dim.high)
      const s = k < n ? sig[k] : width
      mu[k] = m
      sigma[k] = s
      inv[k] = 1 / s
      const logMass = logNormalMass((lo - m) / s, (hi - m) / s)
      // Continuous: the density's constant; discrete: the normaliser of the grid masses.
      base[k] += dim.step === 0 ? -Math.log(s) - LOG_SQRT_2PI - logMass : -logMass
    }
    this.mu.push(mu)
    this.sigma.push(sigma)
    this.invSigma.push(inv)
    let table: Float64Array | undefined
    if (dim.step > 0) {
      const g = Math.round((dim.high - dim.low) / dim.step) + 1
      if (g <= TABLE_LIMIT) {
        table = new Float64Array(nK * g)
        for (let q = 0; q < g; q++) {
          const x = dim.low + q * dim.step
          for (let k = 0; k < nK; k++) table[q * nK + k] = gridLogMass(dim.step, mu[k], sigma[k], x)
        }
      }
    }
    this.tables.push(table)
  }

  private fitCategorical(j: number, col: Float64Array, n: number): void {
    const size = this.catDims[j].size
    const { on, off } = categoricalKernel(size, n, this.opts.priorWeight)
    this.catOnProb[j] = on
    this.catBonus[j] = Math.log(on) - Math.log(off)
    const observed = new Int32Array(this.nKernels)
    const logOff = Math.log(off)
    for (let k = 0; k < n; k++) {
      observed[k] = col[k]
      this.base[k] += logOff
    }
    observed[n] = -1
    this.base[n] -= Math.log(size)
    this.catObs.push(observed)
  }

  /** Draws `count` points; returns one column per dimension (in the constructor's order). */
  sample(rng: Rng, count: number): Float64Array[] {
    const nDims = this.numDims.length + this.catDims.length
    const out = Array.from({ length: nDims }, () => new Float64Array(count))
    const random = () => rng.random()
    for (let c = 0; c < count; c++) {
      const k = this.pickKernel(rng.random())
      for (let j = 0; j < this.numDims.length; j++) {
        const dim = this.numDims[j]
        const m = this.mu[j][k]
        const s = this.sigma[j][k]
        const half = dim.step / 2
        let x = m + s * truncnormSample(random, (dim.low - half - m) / s, (dim.high + half - m) / s)
        if (dim.step > 0) {
          const last = Math.round((dim.high - dim.low) / dim.step)
          x = dim.low + Math.min(Math.max(Math.round((x - dim.low) / dim.step), 0), last) * dim.step
        } else x = Math.min(Math.max(x, dim.low), dim.high)
        out[this.numIndex[j]][c] = x
      }
      for (let j = 0; j < this.catDims.length; j++) {
        const size = this.catDims[j].size
        const observed = this.catObs[j][k]
        let choice: number
        if (observed < 0) choice = rng.int(0, size - 1)
        else if (rng.random() < this.catOnProb[j]) choice = observed
        else {
          // The rest of the kernel's mass is spread evenly over the other choices.
          choice = rng.int(0, size - 2)
          if (choice >= observed) choice++
        }
        out[this.catIndex[j]][c] = choice
      }
    }
    return out
  }

  private pickKernel(u: number): number {
    const cw = this.cumWeights
    const target = u * cw[cw.length - 1]
    let lo = 0
    let hi = cw.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cw[mid] > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Log density (log mass on discrete dimensions) of each of `count` points given as columns. */
  logPdf(points: readonly Float64Array[], count: number): Float64Array {
    const out = new Float64Array(count)
    const nK = this.nKernels
    const terms = new Float64Array(nK)
    const sq = new Float64Array(nK)
    for (let c = 0; c < count; c++) {
      terms.set(this.base)
      sq.fill(0)
      for (let j = 0; j < this.numDims.length; j++) {
        const dim = this.numDims[j]
        const x = points[this.numIndex[j]][c]
        const mu = this.mu[j]
        if (dim.step === 0) {
          const inv = this.invSigma[j]
          for (let k = 0; k < nK; k++) {
            const z = (x - mu[k]) * inv[k]
            sq[k] += z * z
          }
          continue
        }
        const table = this.tables[j]
        if (table !== undefined) {
          const off = Math.round((x - dim.low) / dim.step) * nK
          for (let k = 0; k < nK; k++) terms[k] += table[off + k]
        } else {
          const sigma = this.sigma[j]
          for (let k = 0; k < nK; k++) terms[k] += gridLogMass(dim.step, mu[k], sigma[k], x)
        }
      }
      for (let j = 0; j < this.catDims.length; j++) {
        const v = points[this.catIndex[j]][c]
        const observed = this.catObs[j]
        const bonus = this.catBonus[j]
        for (let k = 0; k < nK; k++) if (observed[k] === v) terms[k] += bonus
      }
      let max = Number.NEGATIVE_INFINITY
      for (let k = 0; k < nK; k++) {
        const t = terms[k] - 0.5 * sq[k]
        terms[k] = t
        if (t > max) max = t
      }
      if (max === Number.NEGATIVE_INFINITY) {
        out[c] = max
        continue
      }
      let sum = 0
      for (let k = 0; k < nK; k++) sum += Math.exp(terms[k] - max)
      out[c] = max + Math.log(sum)
    }
    return out
  }
}

/** Log probability that N(m, s²) falls in the grid cell of x: [x − step/2, x + step/2]. */
function gridLogMass(step: number, m: number, s: number, x: number): number {
  return logNormalMass((x - step / 2 - m) / s, (x + step / 2 - m) / s)
}
