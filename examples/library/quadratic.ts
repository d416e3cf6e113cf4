// Winnow as a library: an in-process objective, optimised with the default sampler.
// Run: node --import tsx examples/library/quadratic.ts  (from another project: import from 'winnow')
import { MemoryStorage, Study } from '../../src/index.ts'

const study = await Study.create({ storage: new MemoryStorage(), name: 'quadratic', seed: 1 })
await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { trials: 50 })
const best = await study.bestTrial()
console.log(`best x = ${best?.params.x}, value = ${best?.values?.[0]}`)
