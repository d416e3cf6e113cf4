/**
 * `npm run bench:tinylm`: kernel throughput (GFLOP/s per matmul variant, wasm vs JS), training-step time,
 * the wall time of one full-fidelity demo trial, and whether hyperparameters matter (final eval loss across
 * learning rates / LoRA ranks, and seed noise). `--quick` skips the sensitivity sweep.
 */
import { Arena } from './arena.ts'
import { type FinetuneOptions, finetune } from './finetune.ts'
import { createJsKernels, type Kernels } from './kernels-js.ts'
import { createWasmKernels } from './wasm-kernels.ts'

type Variant = 'matmul' | 'matmulAtB' | 'matmulABt'

function gflops(k: Kernels, arena: Arena, variant: Variant, M: number, K: number, N: number, budgetMs: number): number {
  const a = arena.alloc(M * K)
  const b = arena.alloc(K * N)
  const c = arena.alloc(M * N)
  for (let i = 0; i < M * K; i++) arena.f32[a + i] = Math.sin(i)
  for (let i = 0; i < K * N; i++) arena.f32[b + i] = Math.cos(i)
  k[variant](c, a, b, M, K, N, false)
  let reps = 0
  const t0 = performance.now()
  while (performance.now() - t0 < budgetMs) {
    k[variant](c, a, b, M, K, N, false)
    reps++
  }
  return (2 * M * K * N * reps) / ((performance.now() - t0) * 1e6)
}

function kernelTable(): void {
  const arena = new Arena(64 << 20)
  const wasm = createWasmKernels(arena, 256 * 256)
  const js = createJsKernels(() => arena.f32)
  const shapes: Array<[number, number, number]> = [
    [384, 64, 256],
    [384, 256, 64],
    [384, 64, 192],
    [24, 16, 24],
  ]
  console.log('matmul GFLOP/s (M x K x N; single thread)')
  for (const [M, K, N] of shapes) {
    const row = (['matmul', 'matmulAtB', 'matmulABt'] as Variant[]).map(
      (v) =>
        `${v} ${gflops(wasm, arena, v, M, K, N, 150).toFixed(1)} (js ${gflops(js, arena, v, M, K, N, 60).toFixed(2)})`,
    )
    console.log(`  ${M}x${K}x${N}: ${row.join('  ')}`)
  }
}

async function timeTrial(o: Partial<FinetuneOptions>): Promise<{ ms: number; loss: number; acc: number }> {
  const t0 = performance.now()
  const r = await finetune(o)
  return { ms: performance.now() - t0, loss: r.metrics?.eval_loss ?? NaN, acc: r.metrics?.accuracy ?? NaN }
}

/** The demo configuration: the published LoRA default recipe on this task. */
export const DEMO_BASELINE: Partial<FinetuneOptions> = { steps: 300, eval_every: 25 }

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick')
  kernelTable()
  await finetune({ steps: 5, eval_every: 5 }) // warm-up: base load, wasm compile, JIT
  for (const [name, o] of [
    ['LoRA r16', {}],
    ['full FT', { lora_r: 0 }],
  ] as const) {
    const steps = 100
    const t = await timeTrial({ ...o, steps, eval_every: steps * 10 })
    const evalT = await timeTrial({ ...o, steps: 1, eval_every: 1 })
    console.log(
      `${name}, batch 16, ctx 24: ${(t.ms / steps).toFixed(1)} ms/step (${((1000 * steps) / t.ms).toFixed(0)} steps/s); one eval (256 rows) ≈ ${evalT.ms.toFixed(0)} ms incl. setup`,
    )
  }
  const base = await timeTrial(DEMO_BASELINE)
  console.log(
    `full-fidelity demo trial (300 steps, eval every 25): ${(base.ms / 1000).toFixed(2)} s wall; baseline eval loss ${base.loss.toFixed(3)}, exact match ${(100 * base.acc).toFixed(1)}%`,
  )
  if (quick) return
  const runs: Array<[string, Partial<FinetuneOptions>]> = [
    ...[1e-3, 3e-3, 1e-2, 3e-2].map((lr): [string, Partial<FinetuneOptions>] => [
      `lr ${lr} r16`,
      { learning_rate: lr },
    ]),
    ...[4, 64].map((r): [string, Partial<FinetuneOptions>] => [
      `lr 1e-2 r${r}`,
      { learning_rate: 1e-2, lora_r: r, lora_alpha: 2 * r },
    ]),
    ['full FT lr 1e-3', { lora_r: 0, learning_rate: 1e-3 }],
    ['lr 1e-2 r16 data 10%', { learning_rate: 1e-2, data_fraction: 0.1 }],
    ['lr 1e-2 r16 from scratch', { learning_rate: 1e-2, init: 'scratch' }],
  ]
  const losses = [base.loss]
  for (const [name, o] of runs) {
    const t = await timeTrial({ ...DEMO_BASELINE, ...o })
    if (!name.includes('scratch')) losses.push(t.loss)
    console.log(
      `  ${name.padEnd(26)} eval loss ${t.loss.toFixed(3)}  exact ${(100 * t.acc).toFixed(1)}%  (${(t.ms / 1000).toFixed(1)} s)`,
    )
  }
  const sorted = [...losses].sort((a, b) => a - b)
  console.log(
    `final eval loss over ${losses.length} configs: min ${sorted[0].toFixed(3)} median ${sorted[sorted.length >> 1].toFixed(3)} max ${sorted[sorted.length - 1].toFixed(3)}; best is ${(100 * (1 - sorted[0] / base.loss)).toFixed(0)}% below the baseline`,
  )
  const seeds = []
  for (const seed of [1, 2, 3]) seeds.push((await timeTrial({ ...DEMO_BASELINE, learning_rate: 1e-2, seed })).loss)
  console.log(
    `seed noise (lr 1e-2 r16, seeds 1-3): ${seeds.map((l) => l.toFixed(3)).join(' / ')} (range ${(Math.max(...seeds) - Math.min(...seeds)).toFixed(3)})`,
  )
}

await main()
