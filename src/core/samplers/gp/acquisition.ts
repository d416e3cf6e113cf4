/**
 * Acquisition functions in log space: log expected improvement (stable far into the tail through
 * log h(z) = log(φ(z) + z·Φ(z))) times the probability of feasibility of each constraint model.
 *
 * @module
 */
import { logH, logNormCdf, logNormPdf } from '../../math/normal.ts'
import type { GpModel } from './gp-model.ts'

/** A value and its partial derivatives in the posterior mean and variance. */
export interface LogValue {
  value: number
  dMean: number
  dVar: number
}

/**
 * log EI(x) for maximisation: log E[max(f(x) − best, 0)] = log σ + log h((μ − best)/σ). Finite wherever σ > 0,
 * even when EI itself underflows to 0 (z ≪ −38).
 */
export function logExpectedImprovement(mean: number, variance: number, best: number): LogValue {
  const sigma = Math.sqrt(variance)
  const z = (mean - best) / sigma
  const lh = logH(z)
  // d log h / dz = Φ(z) / h(z), formed in log space so it stays finite in the tail.
  const r = Math.exp(logNormCdf(z) - lh)
  const dSigma = 1 / sigma - (r * z) / sigma
  return { value: Math.log(sigma) + lh, dMean: r / sigma, dVar: dSigma / (2 * sigma) }
}

/** log P(c(x) <= threshold) under the posterior N(mean, variance) of a constraint. */
export function logProbabilityBelow(mean: number, variance: number, threshold: number): LogValue {
  const sigma = Math.sqrt(variance)
  const z = (threshold - mean) / sigma
  const value = logNormCdf(z)
  // d log Φ / dz = φ(z) / Φ(z) (the inverse Mills ratio), in log space.
  const r = Math.exp(logNormPdf(z) - value)
  return { value, dMean: -r / sigma, dVar: (-r * z) / sigma / (2 * sigma) }
}

/** A constraint model: feasible where the modelled quantity is <= threshold (in the model's standardised units). */
export interface ConstraintModel {
  readonly model: GpModel
  readonly threshold: number
}

/** What the acquisition optimiser maximises: a value per encoded point, with a gradient in the numeric inputs. */
export interface Acquisition {
  /** The value at x; with `grad`, also writes its gradient in x (0 for categorical inputs). */
  evaluate(x: ArrayLike<number>, grad?: Float64Array): number
  /** The values at m points (row-major m×d). */
  evaluateMany(xs: Float64Array, m: number): Float64Array
}

/**
 * log EI of the objective model plus log P(feasible) of every constraint model; without an incumbent (nothing
 * feasible yet) only the feasibility terms count, so the search first looks for a feasible region.
 */
export class LogAcquisition implements Acquisition {
  readonly #gm: Float64Array
  readonly #gv: Float64Array

  constructor(
    readonly objective: GpModel,
    readonly best: number | undefined,
    readonly constraints: readonly ConstraintModel[],
  ) {
    this.#gm = new Float64Array(objective.data.d)
    this.#gv = new Float64Array(objective.data.d)
  }

  /** The acquisition at x; with `grad`, also writes its gradient in x (numeric dimensions only). */
  evaluate(x: ArrayLike<number>, grad?: Float64Array): number {
    if (grad) grad.fill(0)
    let total = 0
    if (this.best !== undefined)
      total += this.#term(this.objective, x, grad, (m, v) => logExpectedImprovement(m, v, this.best!))
    for (const c of this.constraints)
      total += this.#term(c.model, x, grad, (m, v) => logProbabilityBelow(m, v, c.threshold))
    return total
  }

  /** The acquisition at m points (row-major m×d), without gradients; uses batched predictions. */
  evaluateMany(xs: Float64Array, m: number): Float64Array {
    const out = new Float64Array(m)
    const mean = new Float64Array(m)
    const variance = new Float64Array(m)
    if (this.best !== undefined) {
      this.objective.predictMany(xs, m, mean, variance)
      for (let c = 0; c < m; c++) out[c] += logExpectedImprovement(mean[c], variance[c], this.best).value
    }
    for (const con of this.constraints) {
      con.model.predictMany(xs, m, mean, variance)
      for (let c = 0; c < m; c++) out[c] += logProbabilityBelow(mean[c], variance[c], con.threshold).value
    }
    return out
  }

  #term(
    model: GpModel,
    x: ArrayLike<number>,
    grad: Float64Array | undefined,
    f: (mean: number, variance: number) => LogValue,
  ): number {
    const p = grad ? model.predict(x, this.#gm, this.#gv) : model.predict(x)
    const lv = f(p.mean, p.variance)
    if (grad) for (let i = 0; i < grad.length; i++) grad[i] += lv.dMean * this.#gm[i] + lv.dVar * this.#gv[i]
    return lv.value
  }
}
