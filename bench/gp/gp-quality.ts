/**
 * Quick quality check of GpSampler (a script, not a test): median final regret over seeds on the public bench
 * problems, driving a real `Study` on a `MemoryStorage`. Not imported by any core module.
 *
 * Usage: node --import tsx src/core/samplers/gp/gp-quality.script.ts [problems=a,b] [seeds=10] [trials=100]
 *        [batch=1] [sampler=gp|random] [any GpSampler option=value]
 */

import { GpSampler } from '../../src/core/samplers/gp/gp-sampler.ts'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import { Study } from '../../src/core/study/study.ts'
import type { Trial } from '../../src/core/study/trial.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import { getProblem } from '../problems/index.ts'

const ALL = 'branin,hartmann3,hartmann6,rosenbrock4,ackley5,styblinski_tang8,levy10,lora-sft-surrogate'
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]))
const problems = (args.problems ?? ALL).split(',')
const seeds = Number(args.seeds ?? 10)
const trials = Number(args.trials ?? 100)
const batch = Number(args.batch ?? 1)
const samplerName = args.sampler ?? 'gp'
const options: Record<string, unknown> = {}
for (const [k, v] of Object.entries(args)) {
  if (['problems', 'seeds', 'trials', 'batch', 'sampler'].includes(k)) continue
  options[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v)
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

console.log(`sampler=${samplerName} options=${JSON.stringify(options)} trials=${trials} seeds=${seeds} batch=${batch}`)
console.log('problem               median_regret   q25        q75        mean_ms/ask  max_ms/ask')
for (const name of problems) {
  const problem = getProblem(name)
  const regrets: number[] = []
  const times: number[] = []
  for (let seed = 0; seed < seeds; seed++) {
    const sampler = samplerName === 'random' ? new RandomSampler() : new GpSampler(options)
    const study = await Study.create({ storage: new MemoryStorage(), name: 'q', sampler, seed })
    let best = Number.POSITIVE_INFINITY
    let bestClean = Number.POSITIVE_INFINITY
    for (let n = 0; n < trials; ) {
      const asked: Trial[] = []
      for (let i = 0; i < Math.min(batch, trials - n); i++) {
        const t0 = performance.now()
        asked.push(await study.ask(problem.space))
        times.push(performance.now() - t0)
      }
      for (const t of asked) {
        const e = problem.evaluate(t.suggested, seed)
        await study.tell(t, e.observed)
        if (e.observed < best) {
          best = e.observed
          bestClean = e.clean
        }
      }
      n += asked.length
    }
    regrets.push(bestClean - problem.fstar)
  }
  const s = [...regrets].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]
  const mean = times.reduce((a, b) => a + b, 0) / times.length
  console.log(
    `${name.padEnd(22)}${median(regrets).toExponential(3).padStart(13)}${q(0.25).toExponential(3).padStart(11)}${q(0.75)
      .toExponential(3)
      .padStart(11)}${mean.toFixed(1).padStart(13)}${Math.max(...times)
      .toFixed(0)
      .padStart(12)}`,
  )
}
