import { createRng, deriveSeed } from '../../rng.ts'
import type { EncodedTrials } from './encode.ts'
import { buildTree, predictTree, type RegressionTree, type TreeOptions } from './regression-tree.ts'

/** Options of `fitForest`; the defaults are scikit-learn's RandomForestRegressor as Optuna's fANOVA uses it. */
export interface ForestOptions extends TreeOptions {
  /** Number of trees. @default 64 */
  readonly nTrees?: number
  /** Grow each tree on a bootstrap sample (n rows drawn with replacement). @default true */
  readonly bootstrap?: boolean
  /** Seed; tree t draws from deriveSeed(seed, t), so the forest is the same for a seed. @default 0 */
  readonly seed?: number
}

/** Fits a seeded random forest of regression trees to the encoded trials. */
export function fitForest(enc: EncodedTrials, opts: ForestOptions = {}): RegressionTree[] {
  const nTrees = opts.nTrees ?? 64
  const trees: RegressionTree[] = []
  for (let k = 0; k < nTrees; k++) {
    const rng = createRng(deriveSeed(opts.seed ?? 0, k))
    const rows = new Uint32Array(enc.n)
    for (let i = 0; i < enc.n; i++) rows[i] = opts.bootstrap === false ? i : rng.int(0, enc.n - 1)
    trees.push(buildTree(enc, rows, rng, opts))
  }
  return trees
}

/** The forest's prediction for one encoded row: the mean of its trees. */
export function predictForest(trees: readonly RegressionTree[], row: ArrayLike<number>): number {
  let s = 0
  for (const t of trees) s += predictTree(t, row)
  return s / trees.length
}
