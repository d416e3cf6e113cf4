// Winnow as a library: an in-process objective, optimised with the default sampler from a baseline.
// Run: node --import tsx examples/library/quadratic.ts  (from another project: import from 'winnow')
import { MemoryStorage, Study } from '../../src/index.ts'

const study = await Study.create({ storage: new MemoryStorage(), name: 'quadratic', seed: 1 })
await study.enqueue({ x: 0 }, { baseline: true }) // trial #0: the configuration to beat
await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { trials: 50 })
const baseline = (await study.trials())[0]
const best = await study.bestTrial()
console.log(`baseline x = 0, value = ${baseline.values?.[0]}`)
console.log(`best x = ${best?.params.x}, value = ${best?.values?.[0]}`)
