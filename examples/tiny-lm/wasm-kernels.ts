import { readFileSync } from 'node:fs'
import type { Arena } from './arena.ts'
import type { Kernels } from './kernels-js.ts'

/** Exports of kernels/kernels.wasm (built from kernels/kernels.ts); pointers are byte offsets. */
interface WasmExports {
  matmul(c: number, a: number, b: number, M: number, K: number, N: number, acc: number): void
  matmulAtB(c: number, a: number, b: number, M: number, K: number, N: number, acc: number): void
  matmulABt(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, scratch: number): void
  geluFwd(y: number, x: number, n: number): void
  geluBwd(dx: number, x: number, dy: number, n: number): void
  adamw(...args: number[]): void
  sumsq(a: number, n: number): number
}

let compiled: WebAssembly.Module | undefined

/** Path of the committed kernel binary. */
export const WASM_PATH = new URL('./kernels/kernels.wasm', import.meta.url)

/**
 * Instantiates the SIMD kernels on the arena's memory. matmulABt transposes B into a scratch area first,
 * so `maxTransposeFloats` must cover the largest B (N*K) it will see; it is allocated here.
 */
export function createWasmKernels(arena: Arena, maxTransposeFloats: number): Kernels {
  compiled ??= new WebAssembly.Module(readFileSync(WASM_PATH))
  const ex = new WebAssembly.Instance(compiled, { env: { memory: arena.memory } }).exports as unknown as WasmExports
  const scratch = arena.alloc(maxTransposeFloats) * 4
  return {
    name: 'wasm',
    matmul: (c, a, b, M, K, N, acc) => ex.matmul(c * 4, a * 4, b * 4, M, K, N, acc ? 1 : 0),
    matmulAtB: (c, a, b, M, K, N, acc) => ex.matmulAtB(c * 4, a * 4, b * 4, M, K, N, acc ? 1 : 0),
    matmulABt(c, a, b, M, K, N, acc) {
      if (N * K > maxTransposeFloats) {
        throw new Error(`matmulABt needs ${N * K} scratch floats, but only ${maxTransposeFloats} were reserved.`)
      }
      ex.matmulABt(c * 4, a * 4, b * 4, M, K, N, acc ? 1 : 0, scratch)
    },
    geluFwd: (y, x, n) => ex.geluFwd(y * 4, x * 4, n),
    geluBwd: (dx, x, dy, n) => ex.geluBwd(dx * 4, x * 4, dy * 4, n),
    adamw: (p, g, m, v, n, o) =>
      ex.adamw(p * 4, g * 4, m * 4, v * 4, n, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.bc1, o.bc2, o.gscale),
    sumsq: (a, n) => ex.sumsq(a * 4, n),
  }
}
