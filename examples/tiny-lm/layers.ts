/**
 * Element-wise layers of the tiny LM in plain JS (their cost is small next to the matmuls): layer norm,
 * dropout, embeddings and masked cross-entropy (attention is in attention.ts). Every tensor
 * argument is an element offset into the arena's Float32Array `h`; shapes are row-major.
 */
import type { Rng } from './rng.ts'

const LN_EPS = 1e-5

/** y = g·x̂ + b per row of x[N,D]; keeps x̂ and 1/σ for the backward pass. */
export function layerNormFwd(
  h: Float32Array,
  y: number,
  xhat: number,
  rstd: number,
  x: number,
  g: number,
  b: number,
  N: number,
  D: number,
): void {
  for (let n = 0; n < N; n++) {
    const r = n * D
    let mean = 0
    for (let i = 0; i < D; i++) mean += h[x + r + i]
    mean /= D
    let vr = 0
    for (let i = 0; i < D; i++) vr += (h[x + r + i] - mean) ** 2
    const s = 1 / Math.sqrt(vr / D + LN_EPS)
    h[rstd + n] = s
    for (let i = 0; i < D; i++) {
      const xh = (h[x + r + i] - mean) * s
      h[xhat + r + i] = xh
      h[y + r + i] = xh * h[g + i] + h[b + i]
    }
  }
}

/** dx += LN backward of dy; dg/db (offsets, or -1 when frozen) accumulate the parameter gradients. */
export function layerNormBwd(
  h: Float32Array,
  dx: number,
  dy: number,
  xhat: number,
  rstd: number,
  g: number,
  dg: number,
  db: number,
  N: number,
  D: number,
): void {
  for (let n = 0; n < N; n++) {
    const r = n * D
    let m1 = 0
    let m2 = 0
    for (let i = 0; i < D; i++) {
      const d = h[dy + r + i] * h[g + i]
      m1 += d
      m2 += d * h[xhat + r + i]
      if (dg >= 0) {
        h[dg + i] += h[dy + r + i] * h[xhat + r + i]
        h[db + i] += h[dy + r + i]
      }
    }
    m1 /= D
    m2 /= D
    const s = h[rstd + n]
    for (let i = 0; i < D; i++) h[dx + r + i] += s * (h[dy + r + i] * h[g + i] - m1 - h[xhat + r + i] * m2)
  }
}

/** y[N,D] += b[D]. */
export function addBias(h: Float32Array, y: number, b: number, N: number, D: number): void {
  for (let n = 0; n < N; n++) for (let i = 0; i < D; i++) h[y + n * D + i] += h[b + i]
}

/** db[D] += column sums of dy[N,D]. */
export function colSumAcc(h: Float32Array, db: number, dy: number, N: number, D: number): void {
  for (let n = 0; n < N; n++) for (let i = 0; i < D; i++) h[db + i] += h[dy + n * D + i]
}

/**
 * Fills mask[n] with 0 (probability p) or 1/(1-p) (inverted dropout). One draw from `rng` seeds a local
 * xorshift32, because calling the shared generator per element cost more than the whole LoRA forward pass.
 */
export function dropoutMask(h: Float32Array, mask: number, n: number, p: number, rng: Rng): void {
  const keep = 1 / (1 - p)
  const threshold = Math.floor(p * 4294967296)
  let x = rng.nextU32() | 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    h[mask + i] = x >>> 0 < threshold ? 0 : keep
  }
}

/** y[i] = x[i]·m[i] (y may alias x). */
export function mulInto(h: Float32Array, y: number, x: number, m: number, n: number): void {
  for (let i = 0; i < n; i++) h[y + i] = h[x + i] * h[m + i]
}

/** x[n] = wte[tok[n]] + wpe[n mod T]. */
export function embedFwd(
  h: Float32Array,
  x: number,
  wte: number,
  wpe: number,
  tokens: Int32Array,
  N: number,
  T: number,
  D: number,
): void {
  for (let n = 0; n < N; n++) {
    const e = wte + tokens[n] * D
    const p = wpe + (n % T) * D
    for (let i = 0; i < D; i++) h[x + n * D + i] = h[e + i] + h[p + i]
  }
}

/** Scatters dx into the embedding gradients (either may be -1 when frozen). */
export function embedBwd(
  h: Float32Array,
  dwte: number,
  dwpe: number,
  dx: number,
  tokens: Int32Array,
  N: number,
  T: number,
  D: number,
): void {
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < D; i++) {
      if (dwte >= 0) h[dwte + tokens[n] * D + i] += h[dx + n * D + i]
      if (dwpe >= 0) h[dwpe + (n % T) * D + i] += h[dx + n * D + i]
    }
  }
}

/** Masked cross-entropy summary: summed loss, number of target tokens, rows whose every target is the argmax. */
export interface LossSum {
  loss: number
  tokens: number
  correctRows: number
}

/**
 * Softmax cross-entropy over logits[N,V] where targets ≥ 0; writes dlogits = (softmax - onehot)·gradScale
 * (zero on untargeted rows) when dlogits ≥ 0. Rows of T positions count as exact matches when all argmaxes hit.
 */
export function crossEntropy(
  h: Float32Array,
  dlogits: number,
  logits: number,
  targets: Int32Array,
  N: number,
  V: number,
  T: number,
  gradScale: number,
): LossSum {
  let loss = 0
  let tokens = 0
  let correctRows = 0
  let rowOk = true
  for (let n = 0; n < N; n++) {
    const l = logits + n * V
    const tgt = targets[n]
    if (tgt >= 0) {
      let mx = -Infinity
      let arg = 0
      for (let j = 0; j < V; j++) {
        if (h[l + j] > mx) {
          mx = h[l + j]
          arg = j
        }
      }
      let sum = 0
      for (let j = 0; j < V; j++) sum += Math.exp(h[l + j] - mx)
      loss += Math.log(sum) - (h[l + tgt] - mx)
      tokens++
      if (arg !== tgt) rowOk = false
      if (dlogits >= 0) {
        for (let j = 0; j < V; j++)
          h[dlogits + n * V + j] = (Math.exp(h[l + j] - mx) / sum - (j === tgt ? 1 : 0)) * gradScale
      }
    } else if (dlogits >= 0) {
      h.fill(0, dlogits + n * V, dlogits + n * V + V)
    }
    if (n % T === T - 1) {
      if (rowOk) correctRows++
      rowOk = true
    }
  }
  return { loss, tokens, correctRows }
}
