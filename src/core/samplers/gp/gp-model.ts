/**
 * A fitted Gaussian-process regressor: zero prior mean on standardised targets, Matérn-5/2 ARD kernel over the
 * data's features (see feature-map.ts), Gaussian noise. Built once per ask (one O(n³) Cholesky); predictions of the
 * latent f cost O(n·D + n²) each.
 *
 * @module
 */
import { type FeatureMap, featurize } from './feature-map.ts'
import {
  additiveValue,
  type KernelParams,
  matern52,
  matern52Grad,
  type PreparedAdditive,
  prepareAdditive,
  scaledSqDist,
} from './kernel.ts'
import { choleskyInPlace, choleskySolve, solveLower, solveUpperT } from './linalg.ts'
import { featureMapOf, type GpData } from './marginal-likelihood.ts'

/** Posterior mean and variance of the latent function at a point, with optional gradients in the inputs. */
export interface Prediction {
  mean: number
  variance: number
}

/** The smallest posterior variance returned, relative to the output scale (avoids σ = 0 in the acquisition). */
const MIN_VARIANCE_RATIO = 1e-10

/** Points per block in `predictMany`: n×block doubles stay in cache for a few hundred training points. */
const PREDICT_BLOCK = 128

/** A GP conditioned on data with fixed kernel parameters. */
export class GpModel {
  readonly data: GpData
  readonly params: KernelParams
  readonly #map: FeatureMap
  /** Training features, row-major n×D. */
  readonly #z: Float64Array
  readonly #l: Float64Array
  readonly #alpha: Float64Array
  // Scratch buffers for predictions (a model is used by one ask at a time).
  readonly #k: Float64Array
  readonly #v: Float64Array
  readonly #dk: Float64Array
  readonly #zx: Float64Array
  readonly #jac: Float64Array
  readonly #gf: Float64Array
  readonly #add: PreparedAdditive | undefined
  /** Prior variance of f: the ARD part's scale plus the additive part's. */
  readonly #prior: number
  /** (s_add/D)·dm/d(r²) per training point and feature, for the gradient of the additive part. */
  readonly #addGrad: Float64Array

  /**
   * Factorises K + σ²I. A matrix that is not numerically positive definite gets growing diagonal jitter.
   * @throws RangeError when even a large jitter does not help (non-finite inputs).
   */
  constructor(data: GpData, params: KernelParams) {
    this.data = data
    this.params = params
    const { n } = data
    this.#map = featureMapOf(data)
    const D = this.#map.size
    this.#add = params.additive ? prepareAdditive(params.additive) : undefined
    this.#prior = params.scale + (params.additive?.scale ?? 0)
    this.#addGrad = new Float64Array(params.additive ? n * D : 0)
    this.#z = new Float64Array(n * D)
    featurize(this.#map, params.warp, data.x, n, this.#z)
    let jitter = 0
    for (let attempt = 0; ; attempt++) {
      const c = this.#kernelMatrix(jitter)
      if (choleskyInPlace(c, n)) {
        this.#l = c
        break
      }
      if (attempt >= 6) throw new RangeError(`GP kernel matrix is not positive definite (n=${n}, jitter ${jitter})`)
      jitter = jitter === 0 ? 1e-8 * params.scale : jitter * 10
    }
    this.#alpha = choleskySolve(this.#l, n, data.y)
    this.#k = new Float64Array(n)
    this.#v = new Float64Array(n)
    this.#dk = new Float64Array(n)
    this.#zx = new Float64Array(D)
    this.#jac = new Float64Array(data.d)
    this.#gf = new Float64Array(D)
  }

  /** Posterior means at the training inputs: K·α = y − σ²·α (no extra solve). */
  trainingMeans(): Float64Array {
    const { y, n } = this.data
    return Float64Array.from({ length: n }, (_, a) => y[a] - this.params.noise * this.#alpha[a])
  }

  /**
   * Predicts the latent f at x (length d). With `gradMean` / `gradVar` given, writes ∂mean/∂x_i and ∂var/∂x_i
   * for the numeric dimensions (0 for categorical ones, where the kernel is not differentiable).
   */
  predict(x: ArrayLike<number>, gradMean?: Float64Array, gradVar?: Float64Array): Prediction {
    const { n, d } = this.data
    const map = this.#map
    const D = map.size
    const categorical = map.categorical
    const zs = this.#z
    const w = this.params.invSqLengthscales
    const s = this.params.scale
    const k = this.#k
    const z = this.#zx
    const add = this.#add
    const prior = this.#prior
    featurize(map, this.params.warp, x, 1, z, gradMean ? { dx: this.#jac } : undefined)
    let mean = 0
    for (let a = 0; a < n; a++) {
      const oa = a * D
      let r2 = 0
      for (let i = 0; i < D; i++) {
        const diff = z[i] - zs[oa + i]
        r2 += categorical[i] ? (diff !== 0 ? w[i] : 0) : w[i] * diff * diff
      }
      k[a] = s * matern52(r2)
      if (add) k[a] += additiveValue(z, 0, zs, a, D, add, categorical, gradMean ? this.#addGrad : undefined, oa)
      if (gradMean) this.#dk[a] = s * matern52Grad(r2)
      mean += k[a] * this.#alpha[a]
    }
    const v = solveLower(this.#l, n, k, this.#v)
    let vv = 0
    for (let a = 0; a < n; a++) vv += v[a] * v[a]
    const variance = Math.max(prior - vv, MIN_VARIANCE_RATIO * prior)
    if (gradMean && gradVar) {
      // u = C⁻¹k; ∂k_a/∂z_i = g_a·2·w_i·(z_i − Z_ai); ∂mean = Σ α_a ∂k_a; ∂var = −2·Σ u_a ∂k_a; then the chain
      // rule through the warp, ∂z_i/∂x_i (rank features follow categoricals and carry no gradient).
      const u = solveUpperT(this.#l, n, v, v)
      const gf = this.#gf
      gf.fill(0)
      gradVar.fill(0)
      const wAdd = this.params.additive?.invSqLengthscales
      for (let a = 0; a < n; a++) {
        const oa = a * D
        for (let i = 0; i < d; i++) {
          if (categorical[i]) continue
          const diff = z[i] - zs[oa + i]
          let dki = this.#dk[a] * 2 * w[i] * diff
          if (wAdd) dki += this.#addGrad[oa + i] * 2 * wAdd[i] * diff
          gf[i] += this.#alpha[a] * dki
          gradVar[i] -= 2 * u[a] * dki
        }
      }
      const jac = this.#jac
      for (let i = 0; i < d; i++) {
        gradMean[i] = gf[i] * jac[i]
        gradVar[i] *= jac[i]
      }
      if (prior - vv <= MIN_VARIANCE_RATIO * prior) gradVar.fill(0)
    }
    return { mean, variance }
  }

  /**
   * Predicts at m points at once (row-major m×d in `xs`), writing means and variances. The triangular solve runs
   * over blocks of points with the point index innermost, several times faster than m separate predictions.
   */
  predictMany(xs: Float64Array, m: number, means: Float64Array, variances: Float64Array): void {
    const { n } = this.data
    const map = this.#map
    const d = map.size
    const categorical = map.categorical
    const tx = this.#z
    const fx = new Float64Array(m * d)
    featurize(map, this.params.warp, xs, m, fx)
    const w = this.params.invSqLengthscales
    const s = this.params.scale
    const add = this.#add
    const prior = this.#prior
    const l = this.#l
    const block = Math.min(m, PREDICT_BLOCK)
    const kt = new Float64Array(n * block)
    for (let c0 = 0; c0 < m; c0 += block) {
      const b = Math.min(block, m - c0)
      for (let c = 0; c < b; c++) means[c0 + c] = 0
      for (let a = 0; a < n; a++) {
        const oa = a * d
        const ra = a * b
        const al = this.#alpha[a]
        for (let c = 0; c < b; c++) {
          const oc = (c0 + c) * d
          let r2 = 0
          for (let i = 0; i < d; i++) {
            const diff = fx[oc + i] - tx[oa + i]
            r2 += categorical[i] ? (diff !== 0 ? w[i] : 0) : w[i] * diff * diff
          }
          const k = s * matern52(r2) + (add ? additiveValue(fx, c0 + c, tx, a, d, add, categorical) : 0)
          kt[ra + c] = k
          means[c0 + c] += k * al
        }
      }
      // V = L⁻¹·K*ᵀ, row by row: V_i = (K_i − Σ_{k<i} L_ik·V_k) / L_ii.
      for (let i = 0; i < n; i++) {
        const ri = i * b
        const li = i * n
        for (let k = 0; k < i; k++) {
          const coef = l[li + k]
          if (coef === 0) continue
          const rk = k * b
          for (let c = 0; c < b; c++) kt[ri + c] -= coef * kt[rk + c]
        }
        const inv = 1 / l[li + i]
        for (let c = 0; c < b; c++) kt[ri + c] *= inv
      }
      for (let c = 0; c < b; c++) {
        let vv = 0
        for (let i = 0; i < n; i++) vv += kt[i * b + c] ** 2
        variances[c0 + c] = Math.max(prior - vv, MIN_VARIANCE_RATIO * prior)
      }
    }
  }

  #kernelMatrix(jitter: number): Float64Array {
    const { n } = this.data
    const { size: d, categorical } = this.#map
    const x = this.#z
    const add = this.#add
    const w = this.params.invSqLengthscales
    const s = this.params.scale
    const c = new Float64Array(n * n)
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < a; b++) {
        const kab = s * matern52(scaledSqDist(x, a, x, b, d, w, categorical))
        c[a * n + b] = add ? kab + additiveValue(x, a, x, b, d, add, categorical) : kab
      }
      c[a * n + a] = this.#prior + this.params.noise + jitter
    }
    return c
  }
}
