import { normCdf, normPpf } from '../../math/normal.ts'
import type { Cma } from './cma.ts'

/** A discrete coordinate of the CMA vector: its index and the sorted unit-space positions of its values. */
export interface DiscreteCoord {
  readonly index: number
  /** Unit-space positions of the legal values, ascending, at least two. */
  readonly values: readonly number[]
}

/** Index of the first threshold >= v (numpy's `searchsorted(..., side='left')`). */
function searchSorted(sorted: readonly number[], v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The margin correction of CMA-ES with Margin (Hamano et al., GECCO 2022; `cmaes.CMAwM`) for integer and stepped
 * coordinates. A continuous sample is encoded to the nearest legal value after scaling by A; after each update the
 * mean and A are corrected so that every discrete coordinate keeps at least `margin` probability of leaving its
 * current value, which stops the search from freezing on a plateau of the rounded objective.
 */
export class Margin {
  readonly margin: number
  /** Per-coordinate scale A (1 for continuous coordinates). */
  readonly A: number[]
  private readonly lims: number[][]

  constructor(
    n: number,
    popsize: number,
    readonly coords: readonly DiscreteCoord[],
    margin?: number,
  ) {
    this.margin = margin ?? 1 / (n * popsize)
    this.A = new Array(n).fill(1)
    this.lims = coords.map((c) => c.values.slice(1).map((v, k) => (v + c.values[k]) / 2))
  }

  /** Maps a continuous sample to the values to evaluate: discrete coordinates snap to their nearest legal value. */
  encode(x: readonly number[], mean: readonly number[]): number[] {
    const out = [...x]
    this.coords.forEach((c, j) => {
      const i = c.index
      const v = (x[i] - mean[i]) * this.A[i] + mean[i]
      out[i] = c.values[searchSorted(this.lims[j], v)]
    })
    return out
  }

  /** Corrects the mean and A of the discrete coordinates after `cma.tell`. */
  correct(cma: Cma): void {
    const { margin } = this
    const mean = cma.mean
    const sigma = cma.sigma
    const chiMargin = -normPpf(margin) // sqrt(chi2.ppf(1 - 2·margin, df=1))
    this.coords.forEach((c, j) => {
      const i = c.index
      const lims = this.lims[j]
      const last = lims.length - 1
      const pos = searchSorted(lims, mean[i])
      const limLow = lims[Math.min(last, Math.max(0, pos - 1))]
      const limUp = lims[Math.min(last, Math.max(0, pos))]
      const cii = Math.sqrt(cma.C[i][i])
      const scale = sigma * this.A[i] * cii
      const m = mean[i]
      let lowCdf = normCdf((limLow - m) / scale)
      let upCdf = 1 - normCdf((limUp - m) / scale)
      const midCdf = 1 - (lowCdf + upCdf)
      if (Math.max(lowCdf, upCdf) > 0.5) {
        // The mean sits beyond a threshold: push it to the distance where the far side keeps `margin` mass.
        if (Math.min(lowCdf, upCdf) < margin) mean[i] = limUp + Math.sign(m - limUp) * scale * chiMargin
        return
      }
      lowCdf = Math.max(lowCdf, margin / 2)
      upCdf = Math.max(upCdf, margin / 2)
      const excess = 1 - lowCdf - upCdf - midCdf
      const denom = lowCdf + midCdf + upCdf - (3 * margin) / 2
      const clip = (p: number) => Math.min(0.5 - 1e-10, Math.max(1e-10, p))
      const modLow = clip(lowCdf + (excess * (lowCdf - margin / 2)) / denom)
      const modUp = clip(upCdf + (excess * (upCdf - margin / 2)) / denom)
      const chiLow = -normPpf(modLow)
      const chiUp = -normPpf(modUp)
      // Solve for A and the mean so the two thresholds sit chiLow / chiUp standard deviations away.
      this.A[i] = (limUp - limLow) / ((chiLow + chiUp) * sigma * cii)
      mean[i] = (limLow * chiUp + limUp * chiLow) / (chiLow + chiUp)
    })
  }
}
