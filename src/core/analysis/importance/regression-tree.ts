import type { Rng } from '../../rng.ts'
import type { EncodedTrials } from './encode.ts'

/** Options of `buildTree`. */
export interface TreeOptions {
  /** Fewest samples in a leaf. @default 1 */
  readonly minSamplesLeaf?: number
  /** Features drawn at each split (non-constant ones counted, as scikit-learn does). @default all */
  readonly maxFeatures?: number
  /** Deepest level of a leaf (the root is 0). @default 64 */
  readonly maxDepth?: number
}

/**
 * A CART regression tree in flat typed arrays, one slot per node. A numeric split sends `x <= threshold` left;
 * a categorical split sends the categories marked in `catLeft` (row `node`, `maxCats` wide) left. Leaves have
 * `feature = -1` and predict `value` (the mean of their samples).
 */
export interface RegressionTree {
  readonly size: number
  readonly feature: Int32Array
  readonly threshold: Float64Array
  readonly left: Int32Array
  readonly right: Int32Array
  readonly value: Float64Array
  readonly maxCats: number
  readonly catLeft: Uint8Array
  /** Number of choices of each feature (0 for numeric features), copied from the encoding. */
  readonly nCats: Int32Array
}

interface Split {
  feature: number
  score: number
  threshold: number
  /** For categorical splits: 1 for each category sent left. */
  cats: Uint8Array | undefined
}

/**
 * Grows a regression tree on the rows `rows` of `enc` (repeats allowed: a bootstrap sample) by greedy
 * squared-error splits. Each feature keeps its samples presorted and each split partitions them stably, so a
 * tree costs O(depth · samples · features) without sorting at every node.
 */
export function buildTree(enc: EncodedTrials, rows: Uint32Array, rng: Rng, opts: TreeOptions = {}): RegressionTree {
  const { d, x } = enc
  const m = rows.length
  const minLeaf = Math.max(1, opts.minSamplesLeaf ?? 1)
  const maxFeatures = Math.min(d, Math.max(1, opts.maxFeatures ?? d))
  const maxDepth = opts.maxDepth ?? 64
  const maxCats = Math.max(1, ...enc.nCats)
  const cap = 2 * m + 1
  const t = {
    size: 0,
    feature: new Int32Array(cap).fill(-1),
    threshold: new Float64Array(cap),
    left: new Int32Array(cap).fill(-1),
    right: new Int32Array(cap).fill(-1),
    value: new Float64Array(cap),
    maxCats,
    catLeft: new Uint8Array(cap * maxCats),
    nCats: Int32Array.from(enc.nCats),
  }
  const xAt = (p: number, j: number) => x[rows[p] * d + j]
  const y = (p: number) => enc.y[rows[p]]
  // order[j*m .. j*m+m) holds sample positions sorted by feature j; every node is the same range in each segment.
  const order = presort(enc, rows)
  const goesLeft = new Uint8Array(m)
  const buffer = new Uint32Array(m)
  const features = Array.from({ length: d }, (_, j) => j)
  const stack: [node: number, start: number, end: number, depth: number][] = [[t.size++, 0, m, 0]]
  while (stack.length > 0) {
    const [node, start, end, depth] = stack.pop()!
    let sum = 0
    let sumSq = 0
    for (let k = start; k < end; k++) {
      const v = y(order[k])
      sum += v
      sumSq += v * v
    }
    const count = end - start
    t.value[node] = sum / count
    const sse = sumSq - (sum * sum) / count
    if (count < 2 * minLeaf || depth >= maxDepth || sse <= 1e-12 * Math.max(1, sumSq)) continue
    const split = bestSplit(enc, rows, order, start, end, sum, features, maxFeatures, minLeaf, rng)
    if (split === undefined || split.score <= (sum * sum) / count + 1e-12 * Math.abs(sumSq)) continue
    // Mark the samples going left, then partition every feature's segment stably.
    const base = split.feature * m
    let nLeft = 0
    for (let k = start; k < end; k++) {
      const p = order[base + k]
      const v = xAt(p, split.feature)
      goesLeft[p] = split.cats ? split.cats[v] : v <= split.threshold ? 1 : 0
      nLeft += goesLeft[p]
    }
    for (let j = 0; j < d; j++) partition(order, j * m + start, j * m + end, goesLeft, buffer)
    const l = t.size++
    const r = t.size++
    t.feature[node] = split.feature
    t.threshold[node] = split.threshold
    t.left[node] = l
    t.right[node] = r
    if (split.cats) t.catLeft.set(split.cats, node * maxCats)
    stack.push([r, start + nLeft, end, depth + 1], [l, start, start + nLeft, depth + 1])
  }
  return t
}

/** Sample positions sorted by each feature: the trials are sorted once, then each row's samples are emitted. */
function presort(enc: EncodedTrials, rows: Uint32Array): Uint32Array {
  const { n, d, x } = enc
  const m = rows.length
  // Samples of each row (a bootstrap sample repeats rows), as a CSR list.
  const startOf = new Uint32Array(n + 1)
  for (let p = 0; p < m; p++) startOf[rows[p] + 1]++
  for (let r = 0; r < n; r++) startOf[r + 1] += startOf[r]
  const fill = startOf.slice(0, n)
  const samples = new Uint32Array(m)
  for (let p = 0; p < m; p++) samples[fill[rows[p]]++] = p
  const order = new Uint32Array(d * m)
  const byValue = new Uint32Array(n)
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < n; r++) byValue[r] = r
    byValue.sort((a, b) => x[a * d + j] - x[b * d + j] || a - b)
    let w = j * m
    for (let k = 0; k < n; k++) {
      const r = byValue[k]
      for (let s = startOf[r]; s < startOf[r + 1]; s++) order[w++] = samples[s]
    }
  }
  return order
}

function partition(order: Uint32Array, from: number, to: number, goesLeft: Uint8Array, buffer: Uint32Array): void {
  let w = from
  let nb = 0
  for (let k = from; k < to; k++) {
    const p = order[k]
    if (goesLeft[p]) order[w++] = p
    else buffer[nb++] = p
  }
  for (let k = 0; k < nb; k++) order[w + k] = buffer[k]
}

// Score = sumL²/nL + sumR²/nR: the larger, the smaller the children's squared error.
function bestSplit(
  enc: EncodedTrials,
  rows: Uint32Array,
  order: Uint32Array,
  start: number,
  end: number,
  sum: number,
  features: number[],
  maxFeatures: number,
  minLeaf: number,
  rng: Rng,
): Split | undefined {
  let best: Split | undefined
  let tried = 0
  // Fisher–Yates, drawn lazily: features are visited in random order until maxFeatures non-constant ones are seen.
  for (let i = 0; i < features.length && tried < maxFeatures; i++) {
    const k = rng.int(i, features.length - 1)
    const j = features[k]
    features[k] = features[i]
    features[i] = j
    const s =
      enc.nCats[j] > 0
        ? categoricalSplit(enc, rows, order, start, end, j, minLeaf)
        : numericSplit(enc, rows, order, start, end, sum, j, minLeaf)
    if (s === 'constant') continue
    tried++
    if (s !== undefined && (best === undefined || s.score > best.score)) best = s
  }
  return best
}

function numericSplit(
  enc: EncodedTrials,
  rows: Uint32Array,
  order: Uint32Array,
  start: number,
  end: number,
  sum: number,
  j: number,
  minLeaf: number,
): Split | undefined | 'constant' {
  const { d, x, y } = enc
  const base = j * rows.length
  if (x[rows[order[base + start]] * d + j] === x[rows[order[base + end - 1]] * d + j]) return 'constant'
  const count = end - start
  let bestScore = Number.NEGATIVE_INFINITY
  let bestThreshold = 0
  let sumL = 0
  let next = x[rows[order[base + start]] * d + j]
  for (let k = start; k < end - 1; k++) {
    const r = rows[order[base + k]]
    sumL += y[r]
    const a = next
    next = x[rows[order[base + k + 1]] * d + j]
    const nL = k - start + 1
    if (a === next || nL < minLeaf || count - nL < minLeaf) continue
    const score = (sumL * sumL) / nL + ((sum - sumL) * (sum - sumL)) / (count - nL)
    if (score > bestScore) {
      bestScore = score
      bestThreshold = (a + next) / 2
    }
  }
  return bestScore === Number.NEGATIVE_INFINITY
    ? undefined
    : { feature: j, score: bestScore, threshold: bestThreshold, cats: undefined }
}

// Breiman's ordering: for squared error the best subset split is a prefix of the categories sorted by mean.
function categoricalSplit(
  enc: EncodedTrials,
  rows: Uint32Array,
  order: Uint32Array,
  start: number,
  end: number,
  j: number,
  minLeaf: number,
): Split | undefined | 'constant' {
  const nc = enc.nCats[j]
  const sums = new Float64Array(nc)
  const counts = new Int32Array(nc)
  for (let k = start; k < end; k++) {
    const r = rows[order[k]]
    const c = enc.x[r * enc.d + j]
    sums[c] += enc.y[r]
    counts[c]++
  }
  const present = [...counts.keys()].filter((c) => counts[c] > 0)
  if (present.length < 2) return 'constant'
  present.sort((a, b) => sums[a] / counts[a] - sums[b] / counts[b] || a - b)
  const count = end - start
  const total = present.reduce((s, c) => s + sums[c], 0)
  let best: { score: number; prefix: number } | undefined
  let sumL = 0
  let nL = 0
  for (let i = 0; i < present.length - 1; i++) {
    sumL += sums[present[i]]
    nL += counts[present[i]]
    if (nL < minLeaf || count - nL < minLeaf) continue
    const score = (sumL * sumL) / nL + ((total - sumL) * (total - sumL)) / (count - nL)
    if (best === undefined || score > best.score) best = { score, prefix: i + 1 }
  }
  if (best === undefined) return undefined
  const cats = new Uint8Array(nc)
  let leftCount = 0
  for (let i = 0; i < best.prefix; i++) {
    cats[present[i]] = 1
    leftCount += counts[present[i]]
  }
  // Categories absent from the node follow the larger child, so the partition covers every category.
  if (leftCount * 2 > count) for (let c = 0; c < nc; c++) if (counts[c] === 0) cats[c] = 1
  return { feature: j, score: best.score, threshold: 0, cats }
}

/** Predicts one encoded row (length d) with a tree. */
export function predictTree(t: RegressionTree, row: ArrayLike<number>): number {
  let node = 0
  while (t.feature[node] >= 0) {
    const j = t.feature[node]
    const goLeft = t.nCats[j] > 0 ? t.catLeft[node * t.maxCats + row[j]] === 1 : row[j] <= t.threshold[node]
    node = goLeft ? t.left[node] : t.right[node]
  }
  return t.value[node]
}
