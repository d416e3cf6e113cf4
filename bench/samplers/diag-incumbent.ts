/**
 * Diagnosis of a sampler's final regret on a noisy problem: `node --import tsx bench/samplers/diag-incumbent.ts
 * [--problem lora-sft-surrogate] [--sampler auto] [--seeds 10] [--budget 100]`. Splits the incumbent's regret (the
 * best OBSERVED trial's clean value − f*) from the best clean value among all trials (what a noise-free pick would
 * give): the gap is the winner's curse of picking by a noisy value, which no sampler removes.
 */
import { parseArgs } from 'node:util'
import { Study } from '../../src/core/study/study.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import { getProblem } from '../problems/index.ts'
import { createSampler, parseSamplerSpec } from './registry.ts'

const { values } = parseArgs({
  options: {
    problem: { type: 'string', default: 'lora-sft-surrogate' },
    sampler: { type: 'string', default: 'auto' },
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '100' },
  },
})
const problem = getProblem(values.problem!)
const spec = parseSamplerSpec(values.sampler!)
const budget = Number(values.budget)
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const inc: number[] = []
const best: number[] = []
for (let seed = 0; seed < Number(values.seeds); seed++) {
  const study = await Study.create({
    storage: new MemoryStorage(),
    name: 'diag',
    sampler: createSampler(spec, { seed, problem, budget }),
    seed,
  })
  let bestObs = Number.POSITIVE_INFINITY
  let incClean = Number.POSITIVE_INFINITY
  let minClean = Number.POSITIVE_INFINITY
  for (let n = 0; n < budget; n++) {
    const t = await study.ask(problem.space)
    const e = problem.evaluate(t.suggested, seed)
    await study.tell(t, e.observed)
    if (e.observed < bestObs) {
      bestObs = e.observed
      incClean = e.clean
    }
    minClean = Math.min(minClean, e.clean)
  }
  inc.push(incClean - problem.fstar)
  best.push(minClean - problem.fstar)
  console.log(
    `seed ${seed}: incumbent regret ${inc.at(-1)!.toExponential(3)}, best clean ${best.at(-1)!.toExponential(3)}`,
  )
}
console.log(
  `${problem.name} ${spec.label} ${budget} trials, median over ${inc.length} seeds: incumbent ${med(inc).toExponential(3)}, best clean among trials ${med(best).toExponential(3)}`,
)
