import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../../distributions/distribution.ts'
import { samplePrior } from '../../distributions/sample-prior.ts'
import { WinnowError } from '../../errors.ts'
import { checkOptionNames, type OptionNames } from '../../option-names.ts'
import type { Rng } from '../../rng.ts'
import { SpaceIntersection } from '../cmaes/space-intersection.ts'
import { UnitSpace } from '../cmaes/unit-space.ts'
import type { Sampler, SamplingContext } from '../sampler.ts'
import { currentGeneration, NSGA2_ATTR, parentPopulation, type Ranked } from './population.ts'
import { polynomialMutation, sbx, uniformCrossover } from './variation.ts'

/** Options of `Nsga2Sampler`. */
export interface Nsga2SamplerOptions {
  /** Trials per generation. @default 50 */
  readonly populationSize?: number
  /** Crossover of numeric parameters (categoricals always use uniform crossover). @default 'sbx' */
  readonly crossover?: 'sbx' | 'uniform'
  /** Probability that a child is a crossover rather than a copy of its first parent. @default 0.9 */
  readonly crossoverProb?: number
  /** Per-parameter swap probability of uniform crossover. @default 0.5 */
  readonly swappingProb?: number
  /** Per-parameter mutation probability. @default 1 / number of parameters */
  readonly mutationProb?: number
  /** Distribution index of SBX (larger: children closer to parents). @default 15 */
  readonly sbxEta?: number
  /** Distribution index of polynomial mutation. @default 20 */
  readonly mutationEta?: number
}

function checkProb(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1))
    throw new WinnowError(
      'invalid_config',
      `Nsga2Sampler ${name} must lie in [0, 1], but got ${v}. Leave it out for the default.`,
    )
}

const OPTION_NAMES = {
  populationSize: true,
  crossover: true,
  crossoverProb: true,
  swappingProb: true,
  mutationProb: true,
  sbxEta: true,
  mutationEta: true,
} satisfies OptionNames<Nsga2SamplerOptions>

/**
 * NSGA-II (Deb et al. 2002) for one or several objectives, with constrained domination for constrained studies.
 *
 * Generation 0 samples at random; every later child comes from two parents picked by binary tournament
 * (non-domination rank, then crowding distance), SBX or uniform crossover and polynomial mutation in the unit
 * cube (log parameters in log space, ints and steps snapped to their grid); categoricals are crossed uniformly
 * and mutated by a fresh random choice. Each trial is tagged `systemAttrs.nsga2.gen`, and the parent
 * population is rebuilt from those tags at every ask (elite selection over parents ∪ children), so parallel
 * workers need no shared sampler state.
 *
 * @example
 * const study = await Study.create({ storage, name: 'mo', directions: ['minimize', 'minimize'], sampler: new Nsga2Sampler() })
 */
export class Nsga2Sampler implements Sampler {
  readonly name = 'nsga2'
  private readonly popsize: number
  private readonly intersection = new SpaceIntersection()

  constructor(private readonly opts: Nsga2SamplerOptions = {}) {
    checkOptionNames('Nsga2Sampler', opts, OPTION_NAMES)
    const p = opts.populationSize ?? 50
    if (!Number.isInteger(p) || p < 2)
      throw new WinnowError(
        'invalid_config',
        `Nsga2Sampler populationSize must be an integer >= 2, but got ${p}. Try 20-100.`,
      )
    checkProb('crossoverProb', opts.crossoverProb)
    checkProb('swappingProb', opts.swappingProb)
    checkProb('mutationProb', opts.mutationProb)
    this.popsize = p
  }

  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    return this.intersection.update(ctx.study.id, ctx.history)
  }

  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    const gen = currentGeneration(ctx.history, this.popsize)
    ctx.setTrialSystemAttrs?.({ [NSGA2_ATTR]: { gen } })
    if (gen === 0) return {}
    const parents = parentPopulation(ctx.history, gen, this.popsize, ctx.study.directions)
    if (parents.length < 2) return {}
    const unit = new UnitSpace(space)
    const a = unit.toUnit(tournament(parents, ctx.rng).trial.params)
    const b = unit.toUnit(tournament(parents, ctx.rng).trial.params)
    if (a === undefined || b === undefined) return {}
    const rng = ctx.rng
    let x = a.x
    let c = a.c
    if (rng.random() < (this.opts.crossoverProb ?? 0.9)) {
      x =
        this.opts.crossover === 'uniform'
          ? uniformCrossover(a.x, b.x, rng, this.opts.swappingProb)
          : sbx(a.x, b.x, rng, this.opts.sbxEta)
      c = uniformCrossover(a.c, b.c, rng, this.opts.swappingProb)
    }
    const dims = unit.n + unit.categorical.length
    const pm = this.opts.mutationProb ?? 1 / Math.max(1, dims)
    x = polynomialMutation(x, rng, pm, this.opts.mutationEta)
    c = c.map((v, j) => (rng.random() < pm ? rng.int(0, unit.categorical[j].dist.choices.length - 1) : v))
    return unit.fromUnit(x, c)
  }

  sampleIndependent(ctx: SamplingContext, _param: string, distribution: Distribution): ParamValue {
    return samplePrior(distribution, ctx.rng)
  }
}

/** Binary tournament: of two distinct random parents, the lower rank wins, then the larger crowding distance. */
function tournament(parents: readonly Ranked[], rng: Rng): Ranked {
  const i = rng.int(0, parents.length - 1)
  let j = rng.int(0, parents.length - 2)
  if (j >= i) j++
  const a = parents[i]
  const b = parents[j]
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b
  return rng.random() < 0.5 ? a : b
}
