import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import {
  type EncodedTrials,
  encodeTrials,
  type ImportanceOptions,
  importanceSpace,
  normaliseImportances,
  type ParamImportance,
  requireTrials,
} from './encode.ts'
import { type ForestOptions, fitForest } from './random-forest.ts'
import type { RegressionTree } from './regression-tree.ts'

/** Options of `fanovaImportance`: which trials and objective, and the forest. */
export interface FanovaOptions extends ImportanceOptions, Omit<ForestOptions, 'seed'> {}

/** The leaves of a tree as boxes: per leaf and feature its share of the feature's domain. */
interface LeafBoxes {
  readonly count: number
  readonly value: Float64Array
  /** Normalised volume of each leaf (the product of its shares). */
  readonly volume: Float64Array
  /** count × d shares in (0, 1]. */
  readonly share: Float64Array
  /** count × d numeric interval (lo, hi]. */
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** count × d × maxCats: 1 when the category lies in the leaf. */
  readonly cats: Uint8Array
}

/** Walks a tree and returns its leaves as boxes over the analysis space. */
export function leafBoxes(tree: RegressionTree, enc: EncodedTrials): LeafBoxes {
  const { d } = enc
  const K = tree.maxCats
  const leaves: { node: number; lo: Float64Array; hi: Float64Array; cats: Uint8Array }[] = []
  const walk = (node: number, lo: Float64Array, hi: Float64Array, cats: Uint8Array) => {
    const j = tree.feature[node]
    if (j < 0) {
      leaves.push({ node, lo, hi, cats })
      return
    }
    const [llo, lhi, lcats] = [lo.slice(), hi.slice(), cats.slice()]
    const [rlo, rhi, rcats] = [lo.slice(), hi.slice(), cats.slice()]
    if (enc.nCats[j] > 0) {
      for (let c = 0; c < enc.nCats[j]; c++) {
        const left = tree.catLeft[node * K + c] === 1
        lcats[j * K + c] &= left ? 1 : 0
        rcats[j * K + c] &= left ? 0 : 1
      }
    } else {
      const th = Math.min(hi[j], Math.max(lo[j], tree.threshold[node]))
      lhi[j] = th
      rlo[j] = th
    }
    walk(tree.left[node], llo, lhi, lcats)
    walk(tree.right[node], rlo, rhi, rcats)
  }
  const cats0 = new Uint8Array(d * K)
  for (let j = 0; j < d; j++) for (let c = 0; c < enc.nCats[j]; c++) cats0[j * K + c] = 1
  walk(0, Float64Array.from(enc.low), Float64Array.from(enc.high), cats0)
  const n = leaves.length
  const out = {
    count: n,
    value: new Float64Array(n),
    volume: new Float64Array(n),
    share: new Float64Array(n * d),
    lo: new Float64Array(n * d),
    hi: new Float64Array(n * d),
    cats: new Uint8Array(n * d * K),
  }
  leaves.forEach((leaf, i) => {
    out.value[i] = tree.value[leaf.node]
    out.lo.set(leaf.lo, i * d)
    out.hi.set(leaf.hi, i * d)
    out.cats.set(leaf.cats, i * d * K)
    let vol = 1
    for (let j = 0; j < d; j++) {
      let s: number
      if (enc.nCats[j] > 0) {
        let k = 0
        for (let c = 0; c < enc.nCats[j]; c++) k += leaf.cats[j * K + c]
        s = k / enc.nCats[j]
      } else s = enc.high[j] > enc.low[j] ? (leaf.hi[j] - leaf.lo[j]) / (enc.high[j] - enc.low[j]) : 1
      out.share[i * d + j] = s
      vol *= s
    }
    out.volume[i] = vol
  })
  return out
}

/**
 * The functional ANOVA of one tree (Hutter, Hoos & Leyton-Brown 2014), exactly over its partition: the total
 * variance of the tree's prediction under the uniform measure on the (transformed) space, and for each feature
 * the variance of its one-dimensional marginal. The marginal is constant on each cell between the feature's split
 * points (each category for a categorical), and equals Σ over leaves containing the cell of value · volume / share.
 */
export function treeVariances(tree: RegressionTree, enc: EncodedTrials): { total: number; marginal: Float64Array } {
  const b = leafBoxes(tree, enc)
  const { d } = enc
  const K = tree.maxCats
  let mean = 0
  for (let i = 0; i < b.count; i++) mean += b.volume[i] * b.value[i]
  let total = 0
  for (let i = 0; i < b.count; i++) total += b.volume[i] * (b.value[i] - mean) ** 2
  const marginal = new Float64Array(d)
  const used = new Set<number>()
  for (let node = 0; node < tree.size; node++) if (tree.feature[node] >= 0) used.add(tree.feature[node])
  for (const j of used) {
    // The marginal is constant on cells of feature j; `a[c]` accumulates Σ value · volume / share over the leaves
    // covering cell c, and `w[c]` is the cell's share of the domain.
    let a: Float64Array
    let w: Float64Array
    if (enc.nCats[j] > 0) {
      const nc = enc.nCats[j]
      a = new Float64Array(nc)
      w = new Float64Array(nc).fill(1 / nc)
      for (let i = 0; i < b.count; i++) {
        const c0 = (i * d + j) * K
        const contrib = (b.value[i] * b.volume[i]) / b.share[i * d + j]
        for (let c = 0; c < nc; c++) if (b.cats[c0 + c] === 1) a[c] += contrib
      }
    } else {
      const cuts = new Set<number>([enc.low[j], enc.high[j]])
      for (let i = 0; i < b.count; i++) cuts.add(b.lo[i * d + j]).add(b.hi[i * d + j])
      const sorted = Float64Array.from(cuts).sort()
      const nCells = sorted.length - 1
      const range = enc.high[j] - enc.low[j]
      w = new Float64Array(nCells)
      for (let c = 0; c < nCells; c++) w[c] = (sorted[c + 1] - sorted[c]) / range
      // A leaf (lo, hi] covers the cells from lo's index to hi's: add its contribution to a difference array.
      const diff = new Float64Array(nCells + 1)
      for (let i = 0; i < b.count; i++) {
        const contrib = (b.value[i] * b.volume[i]) / b.share[i * d + j]
        diff[lowerBound(sorted, b.lo[i * d + j])] += contrib
        diff[lowerBound(sorted, b.hi[i * d + j])] -= contrib
      }
      a = new Float64Array(nCells)
      let run = 0
      for (let c = 0; c < nCells; c++) {
        run += diff[c]
        a[c] = run
      }
    }
    let v = 0
    for (let c = 0; c < a.length; c++) v += w[c] * (a[c] - mean) ** 2
    marginal[j] = v
  }
  return { total, marginal }
}

/** The first index of `sorted` whose value is >= x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Ranks parameters by fANOVA importance, as Optuna's `FanovaImportanceEvaluator` does: fit a random forest to the
 * COMPLETE trials (log parameters in log space, categoricals split by category sets), and for each tree take the
 * share of the prediction's variance explained by each parameter alone; the importance is the mean share over
 * trees, normalised to sum to 1. Deterministic for a seed.
 *
 * @example
 * const ranked = fanovaImportance(await study.trials(), { direction: 'minimize', seed: 0 })
 * // [{ param: 'learning_rate', importance: 0.71 }, { param: 'lora_r', importance: 0.12 }, …]
 */
export function fanovaImportance(trials: readonly FrozenTrial[], opts: FanovaOptions = {}): ParamImportance[] {
  const space = importanceSpace(trials, opts.space)
  if (Object.keys(space).length === 0) return []
  const enc = encodeTrials(trials, space, opts)
  requireTrials(enc, 'fANOVA importance')
  const trees = fitForest(enc, { ...opts, seed: opts.seed ?? 0 })
  const acc = new Float64Array(enc.d)
  let used = 0
  for (const tree of trees) {
    const { total, marginal } = treeVariances(tree, enc)
    if (!(total > 0)) continue
    used++
    for (let j = 0; j < enc.d; j++) acc[j] += marginal[j] / total
  }
  return normaliseImportances(new Map(enc.names.map((n, j) => [n, used > 0 ? acc[j] / used : 0])))
}
