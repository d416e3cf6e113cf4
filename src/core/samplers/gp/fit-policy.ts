/**
 * When the GP refits its hyperparameters, and on which rows: the fit (each likelihood gradient inverts the n×n
 * kernel matrix) is most of an ask's time at a few hundred trials.
 *
 * @module
 */
import type { GpData } from './marginal-likelihood.ts'

/** From this many training rows on, hyperparameters are refitted only every `REFIT_EVERY`-th ask. */
export const REFIT_FROM = 150
/** See `REFIT_FROM`. */
export const REFIT_EVERY = 5

/**
 * Whether to refit the hyperparameters for a model of n rows (else the last fit is reused; the GP is still
 * conditioned on all n rows). Why: the fit is most of an ask's time at a few hundred trials (each likelihood
 * gradient inverts the n×n kernel matrix, and the additive kernel doubles the parameters), while one more trial
 * barely moves hyperparameters fitted on 150. Reusing them 4 asks in 5 (and fitting on `FIT_ROWS` rows, see
 * `fitSubset`) keeps every ask of a 300-trial study under 1 s (lora-sft-surrogate space: ~400 ms, a refit ask
 * ~750 ms, where refitting on all rows every ask took 1.0–1.25 s), as SMAC and Spearmint also refit sparingly.
 */
export function shouldRefit(n: number, haveFit: boolean): boolean {
  return !haveFit || n < REFIT_FROM || n % REFIT_EVERY === 0
}

/** Most rows the hyperparameter fit reads (see `fitSubset`). */
export const FIT_ROWS = 150

/**
 * At most `m` of the rows, evenly spaced in trial order (early exploration and late exploitation alike), for the
 * hyperparameter fit; the GP itself is still conditioned on every row. Why: each likelihood gradient inverts the
 * n×n kernel matrix, so a fit on 300 rows costs ~8× one on 150 (a cold ask at 300 trials took 2.0 s), while
 * lengthscales and noise estimated from 150 well-spread rows barely differ — the subset-of-data estimate that
 * large-scale GP practice uses.
 */
export function fitSubset(data: GpData, m: number): GpData {
  if (data.n <= m) return data
  const { d } = data
  const x = new Float64Array(m * d)
  const y = new Float64Array(m)
  for (let k = 0; k < m; k++) {
    const i = Math.floor((k * data.n) / m)
    x.set(data.x.subarray(i * d, (i + 1) * d), k * d)
    y[k] = data.y[i]
  }
  return { ...data, x, y, n: m }
}
