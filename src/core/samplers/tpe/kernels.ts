import { type Dimension, internalWidth } from './dimension.ts'

/** The bandwidth settings `numericBandwidths` reads (a subset of ParzenOptions). */
export interface BandwidthOptions {
  readonly priorWeight: number
  readonly considerMagicClip: boolean
  readonly considerEndpoints: boolean
  readonly multivariate: boolean
  readonly bandwidthFactor: number
}

/**
 * Bandwidths (σ) of the n observation kernels of one numeric dimension, following Optuna's TPE.
 *
 * - multivariate: one Scott-like width for every kernel, factor · n^(−1/(d+4)) · range, where d counts the
 *   dimensions modelled jointly;
 * - univariate: each kernel's σ is the larger gap to its neighbours among the sorted observations plus the
 *   prior's centre (and the ends of the range), so crowded regions get narrow kernels.
 *
 * Univariate σ is then clipped to [range / min(100, 1 + kernels), range] ("magic clip") or [1e-12·range, range];
 * the multivariate σ only to [1e-3·range, range]: benchmarks (bench/samplers) showed that the magic clip keeps
 * a joint model too wide once a few dozen trials are in (it is tuned for neighbour-gap bandwidths).
 */
export function numericBandwidths(
  dim: Extract<Dimension, { kind: 'numeric' }>,
  col: Float64Array,
  n: number,
  nDims: number,
  opts: BandwidthOptions,
): Float64Array {
  const width = internalWidth(dim)
  const out = new Float64Array(n)
  if (n === 0) return out
  if (opts.multivariate) {
    out.fill(opts.bandwidthFactor * Math.max(n, 1) ** (-1 / (nDims + 4)) * width)
  } else {
    neighbourGaps(dim, col, n, opts.considerEndpoints, out)
  }
  const maxSigma = width
  const minSigma = opts.multivariate
    ? 1e-3 * width
    : opts.considerMagicClip
      ? width / Math.min(100, 1 + n + 1)
      : 1e-12 * width
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(out[i], minSigma), maxSigma)
  return out
}

/** Writes into `out` the univariate neighbour-gap bandwidths of the n observations. */
function neighbourGaps(
  dim: Extract<Dimension, { kind: 'numeric' }>,
  col: Float64Array,
  n: number,
  considerEndpoints: boolean,
  out: Float64Array,
): void {
  // The prior's centre joins the observations, then both ends of the (half-step widened) range bracket them.
  const m = n + 1
  const order = new Int32Array(m)
  for (let i = 0; i < m; i++) order[i] = i
  const value = (i: number) => (i < n ? col[i] : 0.5 * (dim.low + dim.high))
  order.sort((a, b) => value(a) - value(b))
  const ext = new Float64Array(m + 2)
  ext[0] = dim.low - dim.step / 2
  for (let i = 0; i < m; i++) ext[i + 1] = value(order[i])
  ext[m + 1] = dim.high + dim.step / 2
  const sorted = new Float64Array(m)
  for (let i = 0; i < m; i++) sorted[i] = Math.max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1])
  if (!considerEndpoints && ext.length >= 4) {
    sorted[0] = ext[2] - ext[1]
    sorted[m - 1] = ext[m] - ext[m - 1]
  }
  for (let i = 0; i < m; i++) if (order[i] < n) out[order[i]] = sorted[i]
}

/**
 * Mass an observation kernel of a categorical dimension puts on its observed choice (`on`) and on each other
 * choice (`off`): priorWeight / kernels is added to every choice, 1 to the observed one, then normalised.
 */
export function categoricalKernel(size: number, n: number, priorWeight: number): { on: number; off: number } {
  const spread = priorWeight / (n + 1)
  const total = 1 + size * spread
  return { on: (1 + spread) / total, off: spread / total }
}
