/**
 * Causal multi-head self-attention around the matmul kernels: head split/merge, softmax with the causal mask,
 * and the backward pass. Tensors are element offsets into the arena (see layers.ts).
 */
import type { Kernels } from './kernels-js.ts'

/** Shape of an attention call: B sequences of T tokens, H heads of hd dims (D = H·hd). */
export interface AttnShape {
  B: number
  T: number
  H: number
  hd: number
}

/** Splits qkv[B·T, 3D] into q, k, v in [B,H,T,hd] layout (or merges back when `merge`, writing qkv). */
export function splitHeads(
  h: Float32Array,
  qkv: number,
  q: number,
  k: number,
  v: number,
  s: AttnShape,
  merge: boolean,
): void {
  const D = s.H * s.hd
  for (let b = 0; b < s.B; b++) {
    for (let t = 0; t < s.T; t++) {
      const row = qkv + (b * s.T + t) * 3 * D
      for (let hh = 0; hh < s.H; hh++) {
        const dst = ((b * s.H + hh) * s.T + t) * s.hd
        for (let d = 0; d < s.hd; d++) {
          const c = hh * s.hd + d
          if (merge) {
            h[row + c] = h[q + dst + d]
            h[row + D + c] = h[k + dst + d]
            h[row + 2 * D + c] = h[v + dst + d]
          } else {
            h[q + dst + d] = h[row + c]
            h[k + dst + d] = h[row + D + c]
            h[v + dst + d] = h[row + 2 * D + c]
          }
        }
      }
    }
  }
}

/** Moves o[B,H,T,hd] into y[B·T, D] (or back when `toHeads`). */
export function mergeHeads(h: Float32Array, y: number, o: number, s: AttnShape, toHeads: boolean): void {
  const D = s.H * s.hd
  for (let b = 0; b < s.B; b++) {
    for (let hh = 0; hh < s.H; hh++) {
      for (let t = 0; t < s.T; t++) {
        const src = o + ((b * s.H + hh) * s.T + t) * s.hd
        const dst = y + (b * s.T + t) * D + hh * s.hd
        for (let d = 0; d < s.hd; d++) {
          if (toHeads) h[src + d] = h[dst + d]
          else h[dst + d] = h[src + d]
        }
      }
    }
  }
}

/** Causal softmax attention per (sequence, head): P = softmax(QKᵀ/√hd) with j ≤ i, o = P·V. */
export function attentionFwd(
  k: Kernels,
  h: () => Float32Array,
  o: number,
  P: number,
  q: number,
  kk: number,
  v: number,
  s: AttnShape,
): void {
  const { T, hd } = s
  const scale = 1 / Math.sqrt(hd)
  for (let bh = 0; bh < s.B * s.H; bh++) {
    const p = P + bh * T * T
    const x = bh * T * hd
    k.matmulABt(p, q + x, kk + x, T, hd, T, false)
    const a = h()
    for (let i = 0; i < T; i++) {
      const r = p + i * T
      let mx = -Infinity
      for (let j = 0; j <= i; j++) mx = Math.max(mx, a[r + j] * scale)
      let sum = 0
      for (let j = 0; j <= i; j++) {
        const e = Math.exp(a[r + j] * scale - mx)
        a[r + j] = e
        sum += e
      }
      for (let j = 0; j <= i; j++) a[r + j] /= sum
      for (let j = i + 1; j < T; j++) a[r + j] = 0
    }
    k.matmul(o + x, p, v + x, T, T, hd, false)
  }
}

/** Backward of `attentionFwd`: from dO (in [B,H,T,hd]) writes dq, dk, dv; dP is a [T,T] scratch. */
export function attentionBwd(
  k: Kernels,
  h: () => Float32Array,
  dq: number,
  dk: number,
  dv: number,
  dO: number,
  dP: number,
  P: number,
  q: number,
  kk: number,
  v: number,
  s: AttnShape,
): void {
  const { T, hd } = s
  const scale = 1 / Math.sqrt(hd)
  for (let bh = 0; bh < s.B * s.H; bh++) {
    const p = P + bh * T * T
    const x = bh * T * hd
    k.matmulABt(dP, dO + x, v + x, T, hd, T, false)
    k.matmulAtB(dv + x, p, dO + x, T, T, hd, false)
    const a = h()
    for (let i = 0; i < T; i++) {
      let dot = 0
      for (let j = 0; j <= i; j++) dot += a[p + i * T + j] * a[dP + i * T + j]
      for (let j = 0; j < T; j++) a[dP + i * T + j] = j <= i ? a[p + i * T + j] * (a[dP + i * T + j] - dot) * scale : 0
    }
    k.matmul(dq + x, dP, kk + x, T, T, hd, false)
    k.matmulAtB(dk + x, dP, q + x, T, T, hd, false)
  }
}
