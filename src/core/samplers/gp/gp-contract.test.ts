import { describeSamplerContract } from '../../../testing/sampler-contract.ts'
import { GpSampler } from './gp-sampler.ts'

// Small candidate sets keep the shared suite fast; the model code paths are the same as with the defaults.
describeSamplerContract('GpSampler', {
  create: (seed) => new GpSampler({ seed: seed ?? 0, nCandidates: 256, nLocalSearchStarts: 3 }),
  capabilities: ['relative', 'constraints', 'multiObjective'],
})
