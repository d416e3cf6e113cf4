/**
 * Numerical kernels shared by the samplers: special functions of the normal distribution, the truncated normal,
 * Sobol sequences, box-constrained L-BFGS and small statistics. Pure functions, no I/O; see
 * DEPENDENCIES.md §2 for why these are written here rather than imported.
 *
 * @module
 */

/** Error functions (Cody's rational approximations). */
export { erf, erfc, erfcx } from './erf.ts'
/** Box-constrained L-BFGS. */
export { type LbfgsOptions, type LbfgsResult, minimizeLbfgsB, type Objective } from './lbfgs.ts'
/** Standard normal pdf/cdf/quantile, log-space helpers and log H for log expected improvement. */
export {
  log1mexp,
  logAddExp,
  logDiffExp,
  logH,
  logNormalMass,
  logNormCdf,
  logNormPdf,
  normCdf,
  normCdfOverPdf,
  normPdf,
  normPpf,
  normPpfFromLog,
} from './normal.ts'
/** Sobol low-discrepancy sequences, optionally scrambled. */
export { SOBOL_MAX_DIMENSION, type SobolOptions, SobolSequence } from './sobol.ts'
/** Descriptive statistics and rank correlations. */
export { argsort, kendallTauB, logsumexp, mean, pearson, quantile, rankdata, spearman, variance } from './stats.ts'
/** The truncated normal distribution. */
export { truncnormLogPdf, truncnormSample } from './truncnorm.ts'
