/**
 * How much of `lora-sft-curves`' regret a scheduler could remove at all: `node --import tsx
 * bench/schedulers/diag-oracle.ts [--first-seed 0] [--seeds 20] [--oracle true|false]`. Runs `scheduler: auto`
 * (default scheduler + TPE, as `npm run bench:schedulers -- --variants auto`) with the problem's intermediate
 * reports replaced by each configuration's clean final value (`--oracle true`): every rung then ranks trials by
 * exactly what matters, and the sampler learns from exact values. Only the step-100 value, which picks the
 * incumbent, stays noisy. Prints per seed the final regret, the best clean regret among completed and among sampled
 * trials, and how many seeds reach regret <= 0.01 — an upper bound on what a better early-stopping rule can give
 * this sampler, since the pick by a noisy final value is the benchmark's.
 */
import { parseArgs } from 'node:util'
import { TpeSampler } from '../../src/core/samplers/tpe/tpe-sampler.ts'
import { defaultScheduler } from '../../src/core/schedulers/default-scheduler.ts'
import { getProblem } from '../problems/index.ts'
import type { CurveProblem } from '../problems/types.ts'
import { simulateRun } from './simulate.ts'

const { values } = parseArgs({
  options: {
    'first-seed': { type: 'string', default: '0' },
    seeds: { type: 'string', default: '20' },
    oracle: { type: 'string', default: 'true' },
  },
})
const base = getProblem('lora-sft-curves') as CurveProblem
const oracle = values.oracle !== 'false'
const problem: CurveProblem = oracle
  ? Object.assign(Object.create(base) as CurveProblem, {
      evaluateAt: (params: Parameters<CurveProblem['evaluateAt']>[0], seed: number, step: number) =>
        step < base.maxStep
          ? { ...base.evaluateAt(params, seed, step), observed: base.evaluate(params, seed).clean }
          : base.evaluateAt(params, seed, step),
    })
  : base
const fStar = base.fstar
const first = Number(values['first-seed'])
const n = Number(values.seeds)
let hits = 0
let completedHits = 0
for (let seed = first; seed < first + n; seed++) {
  const make = { scheduler: defaultScheduler({ kind: 'steps', max: base.maxStep }), sampler: new TpeSampler() }
  const r = await simulateRun(problem, oracle ? 'oracle' : 'auto', make, seed, 10_000)
  const [fin, comp, samp] = [r.finalBestClean, r.bestCleanCompleted, r.bestCleanSampled].map((v) => v - fStar)
  if (fin <= 0.01) hits++
  if (comp <= 0.01) completedHits++
  console.log(
    `seed ${seed}: final regret ${fin.toFixed(4)}, best completed ${comp.toFixed(4)}, best sampled ${samp.toFixed(4)}, ${r.nComplete} of ${r.nTrials} trials completed`,
  )
}
console.log(
  `${oracle ? 'oracle reports' : 'real reports'}: final regret <= 0.01 in ${hits} of ${n} seeds; a completed trial <= 0.01 in ${completedHits} of ${n}`,
)
