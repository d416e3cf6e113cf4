/**
 * `npm run bench:tinylm-curves`: trains a fixed, seeded set of configurations from the demo search space to full
 * fidelity and records eval loss / exact match at every evaluation in bench/data/tinylm-curves.json, so scheduler
 * and sampler benchmarks can replay real learning curves without training. `--configs N` (default 200) sets the
 * size; the file is rewritten after every configuration, so an interrupted run still leaves a usable table.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FinetuneOptions, finetune } from './finetune.ts'
import { Rng } from './rng.ts'

/** The demo search space (see README): what a tuner explores on this task. */
export function sampleDemoConfig(rng: Rng): Partial<FinetuneOptions> {
  const logU = (lo: number, hi: number) => Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)))
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]
  const r = pick([0, 4, 8, 16, 32])
  return {
    learning_rate: Number(logU(1e-4, 3e-2).toPrecision(3)),
    lora_r: r,
    lora_alpha: r === 0 ? 32 : r * pick([1, 2, 4]),
    batch_size: pick([8, 16, 32]),
    warmup_ratio: Number((rng.next() * 0.2).toFixed(3)),
    weight_decay: pick([0, 0.01, 0.1]),
    lr_scheduler: pick(['cosine', 'linear', 'constant'] as const),
    data_fraction: pick([0.1, 0.25, 0.5, 1]),
    lora_dropout: pick([0, 0.05, 0.1]),
  }
}

const OUT = fileURLToPath(new URL('../../bench/data/tinylm-curves.json', import.meta.url))

async function main(): Promise<void> {
  const arg = (name: string, dflt: number) =>
    Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt)
  const n = arg('configs', 200)
  const steps = 300
  const evalEvery = 25
  const rng = new Rng(2024)
  const configs = Array.from({ length: n }, (_, i) => ({ ...sampleDemoConfig(rng), seed: i }))
  const rows: unknown[] = []
  const t0 = performance.now()
  mkdirSync(dirname(OUT), { recursive: true })
  for (const [i, params] of configs.entries()) {
    const t = performance.now()
    const r = await finetune({ ...params, steps, eval_every: evalEvery })
    const r4 = (x: number) => Number(x.toFixed(4))
    rows.push({
      params,
      loss: r.history.map((h) => r4(h.eval_loss)),
      acc: r.history.map((h) => r4(h.accuracy)),
      seconds: r4((performance.now() - t) / 1000),
    })
    const table = {
      description: 'tiny-lm reversal fine-tune: eval loss / exact match at every evaluation',
      steps,
      eval_every: evalEvery,
      eval_steps: r.history.map((h) => h.step),
      node: process.version,
      configs: rows,
    }
    writeFileSync(OUT, JSON.stringify(table))
    console.log(
      `${i + 1}/${n} ${JSON.stringify(params)} → eval loss ${r.metrics?.eval_loss.toFixed(3)} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    )
  }
  console.log(`wrote ${OUT}: ${n} configs in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
}

await main()
