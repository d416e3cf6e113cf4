/**
 * The map from an encoded point (see SpaceEncoding) to the features the kernel compares: the encoded dimensions,
 * numeric ones optionally passed through a fitted input warp (see input-warping.ts), plus one rank feature per
 * categorical whose choices are all finite numbers.
 *
 * Why the rank feature: a categorical compared by equality alone (Hamming) learns nothing about rank 64 from
 * rank 32; an ordinal encoding alone cannot separate neighbours sharply. Both together, each with its own
 * lengthscale, let the GP share information between neighbouring choices and still tell them apart. Inside the
 * Matérn kernel the two distances add (r² = w_h·[c ≠ c′] + w_r·(p − p′)²), as every other ARD dimension does.
 *
 * @module
 */
import { kumaraswamyDerivatives, type WarpDerivatives } from './input-warping.ts'

/** A rank feature: `values[choice index]` of the categorical encoded at `source`. */
export interface RankFeature {
  readonly source: number
  readonly values: Float64Array
}

/** How encoded points become kernel features. Features 0…inputDim−1 are the encoded dimensions (maybe warped). */
export interface FeatureMap {
  /** Number of encoded dimensions. */
  readonly inputDim: number
  /** Number of features (inputDim plus the rank features). */
  readonly size: number
  /** 1 where a feature is compared by equality (Hamming), per feature. */
  readonly categorical: Uint8Array
  /** Encoded dimensions passed through a Kumaraswamy warp, in order (their parameters follow this order). */
  readonly warped: Int32Array
  /** Features inputDim, inputDim+1, … */
  readonly ranks: readonly RankFeature[]
  /** The kernel adds a first-order additive part over the features (see `AdditiveParams`). */
  readonly additive: boolean
}

/** Fitted warp parameters, one (a, b) per entry of `FeatureMap.warped`. */
export interface InputWarp {
  readonly a: Float64Array
  readonly b: Float64Array
}

/** The identity map: features are the encoded dimensions, nothing warped. */
export function identityFeatureMap(d: number, categorical: Uint8Array): FeatureMap {
  return { inputDim: d, size: d, categorical, warped: new Int32Array(0), ranks: [], additive: false }
}

/** A dimension as the feature map needs it: categorical or not, and the choices of a categorical. */
export interface FeatureSource {
  readonly categorical: boolean
  readonly choices?: readonly unknown[]
}

/**
 * Builds the map for encoded dimensions `dims`: with `warp`, every numeric dimension is warped; with `ranks`, every
 * categorical whose choices are all finite numbers gains a feature at its rank among them, scaled to [0, 1]; with
 * `additive`, the kernel gains a first-order additive part.
 */
export function buildFeatureMap(
  dims: readonly FeatureSource[],
  warp: boolean,
  ranks: boolean,
  additive = false,
): FeatureMap {
  const d = dims.length
  const rankFeatures: RankFeature[] = []
  const warped: number[] = []
  dims.forEach((dim, i) => {
    if (!dim.categorical) {
      if (warp) warped.push(i)
      return
    }
    const c = dim.choices ?? []
    if (!ranks || c.length < 3 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) return
    const sorted = [...(c as number[])].sort((p, q) => p - q)
    const values = Float64Array.from(c as number[], (v) => sorted.indexOf(v) / (c.length - 1))
    rankFeatures.push({ source: i, values })
  })
  const categorical = new Uint8Array(d + rankFeatures.length)
  dims.forEach((dim, i) => {
    categorical[i] = dim.categorical ? 1 : 0
  })
  return {
    inputDim: d,
    size: d + rankFeatures.length,
    categorical,
    warped: Int32Array.from(warped),
    ranks: rankFeatures,
    additive,
  }
}

/**
 * Writes the features of `rows` encoded points (row-major, `map.inputDim` columns) into `out` (row-major,
 * `map.size` columns). With `dLogA` / `dLogB` (rows × warped.length), also writes ∂feature/∂log a and ∂/∂log b of
 * each warped dimension; with `dx` (rows × inputDim), ∂feature_i/∂x_i (1 for unwarped numeric dimensions, 0 for
 * categorical ones).
 */
export function featurize(
  map: FeatureMap,
  warp: InputWarp | undefined,
  x: ArrayLike<number>,
  rows: number,
  out: Float64Array,
  derivs?: { dLogA?: Float64Array; dLogB?: Float64Array; dx?: Float64Array },
): void {
  const d = map.inputDim
  const D = map.size
  const nw = map.warped.length
  const kd: WarpDerivatives = { value: 0, dx: 0, dLogA: 0, dLogB: 0 }
  for (let r = 0; r < rows; r++) {
    const ox = r * d
    const of = r * D
    for (let i = 0; i < d; i++) out[of + i] = x[ox + i]
    if (derivs?.dx) for (let i = 0; i < d; i++) derivs.dx[ox + i] = map.categorical[i] ? 0 : 1
    if (warp) {
      for (let j = 0; j < nw; j++) {
        const i = map.warped[j]
        kumaraswamyDerivatives(x[ox + i], warp.a[j], warp.b[j], kd)
        out[of + i] = kd.value
        if (derivs?.dLogA) derivs.dLogA[r * nw + j] = kd.dLogA
        if (derivs?.dLogB) derivs.dLogB[r * nw + j] = kd.dLogB
        if (derivs?.dx) derivs.dx[ox + i] = kd.dx
      }
    }
    for (let k = 0; k < map.ranks.length; k++) {
      const { source, values } = map.ranks[k]
      const c = Math.min(values.length - 1, Math.max(0, Math.round(x[ox + source])))
      out[of + d + k] = values[c]
    }
  }
}
