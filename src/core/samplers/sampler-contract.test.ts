import { CONTRACT_SPACE, describeSamplerContract } from '../../testing/sampler-contract.ts'
import { CmaEsSampler } from './cmaes/cmaes-sampler.ts'
import { GridSampler, gridFromSpace } from './grid-sampler.ts'
import { Nsga2Sampler } from './nsga2/nsga2-sampler.ts'
import { QmcSampler } from './qmc-sampler.ts'
import { RandomSampler } from './random-sampler.ts'
import { TpeSampler } from './tpe/tpe-sampler.ts'

// Every sampler runs the one contract suite, selected by what it can do (src/testing/sampler-contract.ts).
describeSamplerContract('random', { create: () => new RandomSampler(), capabilities: [] })
describeSamplerContract('grid', {
  create: () => new GridSampler({ grid: gridFromSpace(CONTRACT_SPACE, { levels: 2 }) }),
  capabilities: ['finite'],
})
describeSamplerContract('qmc', { create: () => new QmcSampler(), capabilities: ['relative'] })
describeSamplerContract('tpe', {
  create: (seed) => new TpeSampler({ seed }),
  capabilities: ['relative', 'multiObjective', 'constraints'],
})
describeSamplerContract('cmaes', { create: () => new CmaEsSampler(), capabilities: ['relative', 'constraints'] })
describeSamplerContract('cmaes (populations of 4, independent categoricals)', {
  create: () => new CmaEsSampler({ populationSize: 4, categorical: 'independent' }),
  capabilities: ['relative', 'constraints'],
})
describeSamplerContract('nsga2', {
  create: () => new Nsga2Sampler({ populationSize: 8 }),
  capabilities: ['relative', 'multiObjective', 'constraints'],
})
