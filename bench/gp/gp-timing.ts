/**
 * Per-ask time of GpSampler on the 10-parameter lora-sft-surrogate space (a script, not a test). For each history
 * size n, n random trials are told first; then GpSampler asks 4 times (ask + tell): the first fit is cold, the
 * later ones warm-started, as in a running study.
 *
 * Usage: node --import tsx bench/gp/gp-timing.ts [sizes=100,300,500] [asks=4]
 */

import { GpSampler } from '../../src/core/samplers/gp/gp-sampler.ts'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import { Study } from '../../src/core/study/study.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import { getProblem } from '../problems/index.ts'

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]))
const sizes = (args.sizes ?? '100,300,500').split(',').map(Number)
const problem = getProblem('lora-sft-surrogate')
// Warm the JIT first, as any running study past its first few GP asks is.
await timeAsks(40, 6)
console.log('history size: first ask (cold hyperparameter fit) / next asks (warm-started), ms')
for (const n of sizes) {
  const ms = await timeAsks(n, Number(args.asks ?? 4))
  console.log(
    `n=${n}: cold ${ms[0].toFixed(0)} ms, warm ${ms
      .slice(1)
      .map((m) => m.toFixed(0))
      .join(' / ')} ms`,
  )
}

async function timeAsks(n: number, asks: number): Promise<number[]> {
  const storage = new MemoryStorage()
  const warmup = await Study.create({ storage, name: 't', sampler: new RandomSampler(), seed: 1 })
  for (let i = 0; i < n; i++) {
    const t = await warmup.ask(problem.space)
    await warmup.tell(t, problem.evaluate(t.suggested, 1).observed)
  }
  const study = await Study.load({ storage, name: 't', sampler: new GpSampler() })
  const ms: number[] = []
  for (let k = 0; k < asks; k++) {
    const t0 = performance.now()
    const t = await study.ask(problem.space)
    ms.push(performance.now() - t0)
    await study.tell(t, problem.evaluate(t.suggested, 1).observed)
  }
  return ms
}
