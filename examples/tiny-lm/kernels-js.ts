/**
 * The kernel interface of the tiny LM and its pure-JS reference implementation. Arguments named c, a, b, x, y, p,
 * g, m, v are element offsets into one shared Float32Array (see `Arena`); sizes come after them. The wasm
 * kernels (wasm-kernels.ts) implement the same contract and are tested against these loops.
 */
export interface Kernels {
  /** Which implementation this is ('js' or 'wasm'). */
  readonly name: string
  /** C[M,N] (+)= A[M,K]·B[K,N]; `acc` adds to C instead of overwriting it. */
  matmul(c: number, a: number, b: number, M: number, K: number, N: number, acc: boolean): void
  /** C[M,N] (+)= A[K,M]ᵀ·B[K,N]. */
  matmulAtB(c: number, a: number, b: number, M: number, K: number, N: number, acc: boolean): void
  /** C[M,N] (+)= A[M,K]·B[N,K]ᵀ. */
  matmulABt(c: number, a: number, b: number, M: number, K: number, N: number, acc: boolean): void
  /** y = gelu(x) (tanh approximation) over n elements. */
  geluFwd(y: number, x: number, n: number): void
  /** dx = dy·gelu'(x) over n elements; dx may alias dy. */
  geluBwd(dx: number, x: number, dy: number, n: number): void
  /** One AdamW update of n parameters (see `AdamwArgs`). */
  adamw(p: number, g: number, m: number, v: number, n: number, h: AdamwArgs): void
  /** Σ a[i]² over n elements. */
  sumsq(a: number, n: number): number
}

/** Scalars of one AdamW update; bc1/bc2 are 1-β1^t and 1-β2^t, gscale multiplies the gradient (clipping). */
export interface AdamwArgs {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  bc1: number
  bc2: number
  gscale: number
}

const GELU_C = Math.sqrt(2 / Math.PI)

/** Pure-JS kernels over `heap()` (a getter, because the arena's view changes when memory grows). */
export function createJsKernels(heap: () => Float32Array): Kernels {
  // One generic loop: A's element (i,k) is at a + i*sAi + k*sAk, B's (k,j) at b + k*sBk + j*sBj.
  function mm(c: number, a: number, b: number, M: number, K: number, N: number, acc: boolean, s: number[]): void {
    const h = heap()
    const [sAi, sAk, sBk, sBj] = s
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0
        for (let k = 0; k < K; k++) sum += h[a + i * sAi + k * sAk] * h[b + k * sBk + j * sBj]
        h[c + i * N + j] = acc ? h[c + i * N + j] + sum : sum
      }
    }
  }
  return {
    name: 'js',
    matmul: (c, a, b, M, K, N, acc) => mm(c, a, b, M, K, N, acc, [K, 1, N, 1]),
    matmulAtB: (c, a, b, M, K, N, acc) => mm(c, a, b, M, K, N, acc, [1, M, N, 1]),
    matmulABt: (c, a, b, M, K, N, acc) => mm(c, a, b, M, K, N, acc, [K, 1, 1, K]),
    geluFwd(y, x, n) {
      const h = heap()
      for (let i = 0; i < n; i++) {
        const v = h[x + i]
        h[y + i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)))
      }
    },
    geluBwd(dx, x, dy, n) {
      const h = heap()
      for (let i = 0; i < n; i++) {
        const v = h[x + i]
        const t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v))
        h[dx + i] = h[dy + i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v))
      }
    },
    adamw(p, g, m, v, n, o) {
      const h = heap()
      for (let i = 0; i < n; i++) {
        const gi = h[g + i] * o.gscale
        const mi = o.beta1 * h[m + i] + (1 - o.beta1) * gi
        const vi = o.beta2 * h[v + i] + (1 - o.beta2) * gi * gi
        h[m + i] = mi
        h[v + i] = vi
        h[p + i] = h[p + i] * (1 - o.lr * o.weightDecay) - ((o.lr / o.bc1) * mi) / (Math.sqrt(vi / o.bc2) + o.eps)
      }
    },
    sumsq(a, n) {
      const h = heap()
      let s = 0
      for (let i = 0; i < n; i++) s += h[a + i] * h[a + i]
      return s
    },
  }
}
