/**
 * Sampler overhead on the lora-sft-surrogate space (PROBLEMS.md §5 "Overhead", anchor method `prefilled`): a study
 * is filled with n random trials, then `reps` ask + 10 suggestions + tell cycles are timed (ask + suggestions
 * only); three fresh studies per (sampler, n). Prints the median next to Optuna 3.1's, and runs Optuna side by
 * side when `/usr/bin/python3 -c "import optuna"` works.
 *
 * Run: `npm run bench:samplers -- --overhead` or `node --import tsx bench/samplers/overhead.ts [--n 1000,2000]`.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import type { Sampler } from '../../src/core/samplers/sampler.ts'
import { TpeSampler } from '../../src/core/samplers/tpe/tpe-sampler.ts'
import { Study } from '../../src/core/study/study.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import { overheadAnchor } from '../problems/anchors.ts'
import { loraSurrogate } from '../problems/lora.ts'
import { median, quantile } from '../problems/stats.ts'

/** Samplers timed, with the anchor sampler each is compared to. */
const SAMPLERS: readonly { name: string; anchor: string; make: () => Sampler }[] = [
  { name: 'random', anchor: 'random', make: () => new RandomSampler() },
  { name: 'tpe (multivariate, default)', anchor: 'tpe_mv', make: () => new TpeSampler() },
  { name: 'tpe (univariate)', anchor: 'tpe', make: () => new TpeSampler({ multivariate: false }) },
]

/** Times of `reps` ask + suggest cycles after prefilling `n` random trials, on `repeats` fresh studies (ms). */
export async function timeSampler(make: () => Sampler, n: number, reps = 21, repeats = 3): Promise<number[]> {
  const space = loraSurrogate.space
  const samples: number[] = []
  for (let r = 0; r < repeats; r++) {
    const storage = new MemoryStorage()
    const filler = await Study.create({ storage, name: 'overhead', sampler: new RandomSampler(), seed: r })
    for (let i = 0; i < n; i++) {
      const t = await filler.ask(space)
      await filler.tell(t, loraSurrogate.evaluate(t.suggested, r).observed)
    }
    const study = await Study.load({ storage, name: 'overhead', sampler: make() })
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now()
      const t = await study.ask()
      for (const [name, d] of Object.entries(space)) t.suggest(name, d)
      await t.flush()
      samples.push(performance.now() - t0)
      await study.tell(t, loraSurrogate.evaluate(t.suggested, r).observed)
    }
  }
  return samples
}

function optunaAvailable(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { encoding: 'utf8' })
  return r.status === 0
}

/** Prints the overhead table for n in `ns`. */
export async function runOverhead(ns: readonly number[] = [1000, 2000]): Promise<void> {
  console.log('Overhead: ask + 10 suggestions on the lora-sft-surrogate space (ms), in-memory storage, prefilled.')
  console.log(
    optunaAvailable()
      ? 'Optuna is importable by /usr/bin/python3: run shared/bench/anchors/optuna/run_overhead.py for a side-by-side run on this machine.'
      : 'Optuna is absent (/usr/bin/python3 -c "import optuna" fails): Optuna numbers below are the recorded anchor (Optuna 3.1, 2 vCPU).',
  )
  console.log('')
  console.log('| sampler | n | median ms | p90 ms | Optuna anchor | Optuna median ms |')
  console.log('|---|---|---|---|---|---|')
  for (const s of SAMPLERS) {
    for (const n of ns) {
      const xs = await timeSampler(s.make, n)
      const a = overheadAnchor(s.anchor, n)
      console.log(
        `| ${s.name} | ${n} | ${median(xs).toFixed(2)} | ${quantile(xs, 0.9).toFixed(2)} | ${s.anchor} | ${a ? a.median_ms : '-'} |`,
      )
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '1000,2000' } } })
  await runOverhead(values.n!.split(',').map(Number))
}
