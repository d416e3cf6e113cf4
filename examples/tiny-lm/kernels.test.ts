import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Arena } from './arena.ts'
import { createJsKernels } from './kernels-js.ts'
import { Rng } from './rng.ts'
import { createWasmKernels, WASM_PATH } from './wasm-kernels.ts'

// Both implementations run on copies of the same random inputs in one arena; results must agree to f32 rounding.
function setup() {
  const arena = new Arena()
  const wasm = createWasmKernels(arena, 64 * 64)
  const js = createJsKernels(() => arena.f32)
  const rng = new Rng(1)
  const rand = (n: number): number => {
    const off = arena.alloc(n)
    for (let i = 0; i < n; i++) arena.f32[off + i] = rng.normal()
    return off
  }
  const copy = (src: number, n: number): number => {
    const off = arena.alloc(n)
    arena.f32.copyWithin(off, src, src + n)
    return off
  }
  const close = (x: number, y: number, n: number, what: string): void => {
    for (let i = 0; i < n; i++) {
      const a = arena.f32[x + i]
      const b = arena.f32[y + i]
      assert.ok(Math.abs(a - b) <= 1e-4 * (1 + Math.abs(a)), `${what}[${i}]: wasm ${a} vs js ${b}`)
    }
  }
  return { arena, wasm, js, rand, copy, close }
}

type MatmulName = 'matmul' | 'matmulAtB' | 'matmulABt'

test('wasm matmul variants match the JS reference on tiled and ragged shapes', () => {
  const { wasm, js, rand, copy, close } = setup()
  for (const [M, K, N] of [
    [8, 16, 16],
    [12, 64, 24],
    [5, 3, 7],
    [9, 2, 13],
    [16, 16, 2],
    [4, 8, 8],
  ]) {
    for (const name of ['matmul', 'matmulAtB', 'matmulABt'] as MatmulName[]) {
      for (const acc of [false, true]) {
        const a = rand(M * K)
        const b = rand(K * N)
        const c1 = rand(M * N)
        const c2 = copy(c1, M * N)
        wasm[name](c1, a, b, M, K, N, acc)
        js[name](c2, a, b, M, K, N, acc)
        close(c1, c2, M * N, `${name} ${M}x${K}x${N} acc=${acc}`)
      }
    }
  }
})

test('wasm GELU, AdamW and sum of squares match the JS reference', () => {
  const { wasm, js, rand, copy, close, arena } = setup()
  const n = 103 // not a multiple of 4: covers the scalar tail
  const x = rand(n)
  const y1 = rand(n)
  const y2 = copy(y1, n)
  wasm.geluFwd(y1, x, n)
  js.geluFwd(y2, x, n)
  close(y1, y2, n, 'geluFwd')
  wasm.geluBwd(y1, x, y1, n)
  js.geluBwd(y2, x, y2, n)
  close(y1, y2, n, 'geluBwd')
  const [p1, g, m1, v1] = [rand(n), rand(n), rand(n), rand(n)]
  for (let i = 0; i < n; i++) arena.f32[v1 + i] = Math.abs(arena.f32[v1 + i])
  const [p2, m2, v2] = [copy(p1, n), copy(m1, n), copy(v1, n)]
  const h = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, bc1: 0.1, bc2: 0.01, gscale: 0.5 }
  wasm.adamw(p1, g, m1, v1, n, h)
  js.adamw(p2, g, m2, v2, n, h)
  close(p1, p2, n, 'adamw p')
  close(m1, m2, n, 'adamw m')
  close(v1, v2, n, 'adamw v')
  const s1 = wasm.sumsq(x, n)
  assert.ok(Math.abs(s1 - js.sumsq(x, n)) < 1e-4 * s1)
})

test('committed kernels.wasm matches a rebuild from kernels/kernels.ts', (t) => {
  const asc = fileURLToPath(new URL('../../node_modules/.bin/asc', import.meta.url))
  const out = join(mkdtempSync(join(tmpdir(), 'tinylm-')), 'k.wasm')
  try {
    execFileSync(asc, [...ASC_FLAGS, '-o', out], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: 'pipe' })
  } catch (e) {
    t.skip(`assemblyscript is not installed (${(e as Error).message.split('\n')[0]})`)
    return
  }
  assert.deepEqual(readFileSync(out), readFileSync(WASM_PATH), 'kernels.wasm is stale: run `npm run build:kernels`.')
})

/** Compiler flags of `npm run build:kernels` (keep in sync with package.json). */
const ASC_FLAGS = [
  'kernels/kernels.ts',
  '-O3',
  '--runtime',
  'stub',
  '--importMemory',
  '--noAssert',
  '--enable',
  'simd',
  '--use',
  'abort=',
]
