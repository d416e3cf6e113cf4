// @ts-nocheck -- AssemblyScript source (compiled by `npm run build:kernels`), not TypeScript.
// The hot loops of the tiny LM as WebAssembly SIMD. Every pointer is a byte offset into the imported memory
// (env.memory), which the host shares with its Float32Array views, so no data is ever copied across.
// All matrices are row-major f32. The JS reference implementations live in ../kernels-js.ts.

/** C[M,N] (+)= A·B where A's element (i,k) sits at a + 4*(i*sAi + k*sAk). A·B uses (K,1); Aᵀ·B uses (1,M). */
function mmCore(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, sAi: i32, sAk: i32, acc: i32): void {
  const M4 = M & ~3
  const N8 = N & ~7
  const rowA = (<usize>sAi) << 2
  const stepA = (<usize>sAk) << 2
  const rowB = (<usize>N) << 2
  for (let i = 0; i < M4; i += 4) {
    for (let j = 0; j < N8; j += 8) {
      // 4 rows x 8 columns of C held in 8 SIMD registers: each B load is reused 4 times, each A load 2 times.
      let c00 = f32x4.splat(0),
        c01 = f32x4.splat(0),
        c10 = f32x4.splat(0),
        c11 = f32x4.splat(0)
      let c20 = f32x4.splat(0),
        c21 = f32x4.splat(0),
        c30 = f32x4.splat(0),
        c31 = f32x4.splat(0)
      let pa = a + <usize>i * rowA
      let pb = b + ((<usize>j) << 2)
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb)
        const b1 = v128.load(pb, 16)
        const a0 = f32x4.splat(load<f32>(pa))
        const a1 = f32x4.splat(load<f32>(pa + rowA))
        const a2 = f32x4.splat(load<f32>(pa + 2 * rowA))
        const a3 = f32x4.splat(load<f32>(pa + 3 * rowA))
        c00 = f32x4.add(c00, f32x4.mul(a0, b0))
        c01 = f32x4.add(c01, f32x4.mul(a0, b1))
        c10 = f32x4.add(c10, f32x4.mul(a1, b0))
        c11 = f32x4.add(c11, f32x4.mul(a1, b1))
        c20 = f32x4.add(c20, f32x4.mul(a2, b0))
        c21 = f32x4.add(c21, f32x4.mul(a2, b1))
        c30 = f32x4.add(c30, f32x4.mul(a3, b0))
        c31 = f32x4.add(c31, f32x4.mul(a3, b1))
        pa += stepA
        pb += rowB
      }
      const pc = c + ((<usize>i * <usize>N + <usize>j) << 2)
      if (acc) {
        c00 = f32x4.add(c00, v128.load(pc))
        c01 = f32x4.add(c01, v128.load(pc, 16))
        c10 = f32x4.add(c10, v128.load(pc + rowB))
        c11 = f32x4.add(c11, v128.load(pc + rowB, 16))
        c20 = f32x4.add(c20, v128.load(pc + 2 * rowB))
        c21 = f32x4.add(c21, v128.load(pc + 2 * rowB, 16))
        c30 = f32x4.add(c30, v128.load(pc + 3 * rowB))
        c31 = f32x4.add(c31, v128.load(pc + 3 * rowB, 16))
      }
      v128.store(pc, c00)
      v128.store(pc, c01, 16)
      v128.store(pc + rowB, c10)
      v128.store(pc + rowB, c11, 16)
      v128.store(pc + 2 * rowB, c20)
      v128.store(pc + 2 * rowB, c21, 16)
      v128.store(pc + 3 * rowB, c30)
      v128.store(pc + 3 * rowB, c31, 16)
    }
  }
  // Ragged edges (LoRA rank 2, odd vocabularies) are rare and small: plain scalar loops.
  mmScalar(c, a, b, 0, M4, N8, N, K, N, sAi, sAk, acc)
  mmScalar(c, a, b, M4, M, 0, N, K, N, sAi, sAk, acc)
}

function mmScalar(
  c: usize,
  a: usize,
  b: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  K: i32,
  N: i32,
  sAi: i32,
  sAk: i32,
  acc: i32,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s: f32 = 0
      for (let k = 0; k < K; k++) {
        s += load<f32>(a + ((<usize>i * sAi + <usize>k * sAk) << 2)) * load<f32>(b + ((<usize>k * N + j) << 2))
      }
      const pc = c + ((<usize>i * N + j) << 2)
      store<f32>(pc, acc ? load<f32>(pc) + s : s)
    }
  }
}

/** C[M,N] (+)= A[M,K] · B[K,N]. */
export function matmul(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: i32): void {
  mmCore(c, a, b, M, K, N, K, 1, acc)
}

/** C[M,N] (+)= A[K,M]ᵀ · B[K,N] (weight gradients: xᵀ·dy). */
export function matmulAtB(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: i32): void {
  mmCore(c, a, b, M, K, N, 1, M, acc)
}

/** C[M,N] (+)= A[M,K] · B[N,K]ᵀ (input gradients: dy·Wᵀ). B is transposed into `scratch` first (N*K floats)
 * so the register-tiled A·B loop applies; the transpose costs N*K against M*N*K for the product. */
export function matmulABt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: i32, scratch: usize): void {
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      store<f32>(scratch + ((<usize>k * N + n) << 2), load<f32>(b + ((<usize>n * K + k) << 2)))
    }
  }
  mmCore(c, a, scratch, M, K, N, K, 1, acc)
}

const GELU_C: f32 = 0.7978845608028654 // sqrt(2/pi)
const GELU_A: f32 = 0.044715

/** y = gelu(x), tanh approximation, n elements. */
export function geluFwd(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2))
    const t = tanhf(GELU_C * (v + GELU_A * v * v * v))
    store<f32>(y + ((<usize>i) << 2), 0.5 * v * (1 + t))
  }
}

/** dx = dy * gelu'(x); dx may alias dy. */
export function geluBwd(dx: usize, x: usize, dy: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2))
    const t = tanhf(GELU_C * (v + GELU_A * v * v * v))
    const d: f32 = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v)
    store<f32>(dx + ((<usize>i) << 2), load<f32>(dy + ((<usize>i) << 2)) * d)
  }
}

function tanhf(u: f32): f32 {
  // tanh via one exp; clamped so exp never overflows (tanh(±15) is ±1 in f32 anyway).
  const z = u > 15 ? <f32>15 : u < -15 ? <f32>-15 : u
  const e = Mathf.exp(2 * z)
  return (e - 1) / (e + 1)
}

/** AdamW (PyTorch order: decoupled decay, then the Adam step) over n parameters; gradients are scaled by
 * `gscale` first (gradient clipping). bc1/bc2 are the bias corrections 1-β1^t and 1-β2^t. */
export function adamw(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  b1: f32,
  b2: f32,
  eps: f32,
  wd: f32,
  bc1: f32,
  bc2: f32,
  gscale: f32,
): void {
  const n4 = n & ~3
  const vb1 = f32x4.splat(b1),
    vb1c = f32x4.splat(1 - b1),
    vb2 = f32x4.splat(b2),
    vb2c = f32x4.splat(1 - b2)
  const vdecay = f32x4.splat(1 - lr * wd),
    vstep = f32x4.splat(lr / bc1),
    vbc2 = f32x4.splat(1 / bc2)
  const veps = f32x4.splat(eps),
    vgs = f32x4.splat(gscale)
  for (let i = 0; i < n4; i += 4) {
    const o = (<usize>i) << 2
    const gi = f32x4.mul(v128.load(g + o), vgs)
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vb1c, gi))
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vb2c, f32x4.mul(gi, gi)))
    v128.store(m + o, mi)
    v128.store(v + o, vi)
    const den = f32x4.add(f32x4.sqrt(f32x4.mul(vi, vbc2)), veps)
    const pi = f32x4.sub(f32x4.mul(v128.load(p + o), vdecay), f32x4.div(f32x4.mul(vstep, mi), den))
    v128.store(p + o, pi)
  }
  for (let i = n4; i < n; i++) {
    const o = (<usize>i) << 2
    const gi = load<f32>(g + o) * gscale
    const mi = b1 * load<f32>(m + o) + (1 - b1) * gi
    const vi = b2 * load<f32>(v + o) + (1 - b2) * gi * gi
    store<f32>(m + o, mi)
    store<f32>(v + o, vi)
    store<f32>(p + o, load<f32>(p + o) * (1 - lr * wd) - ((lr / bc1) * mi) / (Mathf.sqrt(vi * (1 / bc2)) + eps))
  }
}

/** Σ a[i]² over n elements (global gradient norm for clipping). */
export function sumsq(a: usize, n: i32): f32 {
  const n4 = n & ~3
  let s = f32x4.splat(0)
  for (let i = 0; i < n4; i += 4) {
    const x = v128.load(a + ((<usize>i) << 2))
    s = f32x4.add(s, f32x4.mul(x, x))
  }
  let t = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  for (let i = n4; i < n; i++) {
    const x = load<f32>(a + ((<usize>i) << 2))
    t += x * x
  }
  return t
}
