import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import { samplePrior } from '../distributions/sample-prior.ts'
import { checkOptionNames } from '../option-names.ts'
import type { Sampler, SamplingContext } from './sampler.ts'

/** Samples every parameter independently from its prior. The baseline every other sampler must beat. */
export class RandomSampler implements Sampler {
  readonly name = 'random'

  /** Takes no options (it draws from the study's seed); any given is refused rather than ignored. */
  constructor(opts: Record<string, never> = {}) {
    checkOptionNames('RandomSampler', opts, {})
  }

  inferRelativeSpace(): SearchSpace {
    return {}
  }
  sampleRelative(): ParamValues {
    return {}
  }
  sampleIndependent(ctx: SamplingContext, _param: string, distribution: Distribution): ParamValue {
    return samplePrior(distribution, ctx.rng)
  }
}
