import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../../distributions/distribution.ts'
import { samplePrior } from '../../distributions/sample-prior.ts'
import { WinnowError } from '../../errors.ts'
import type { Json } from '../../json.ts'
import { checkOptionNames, type OptionNames } from '../../option-names.ts'
import type { Rng } from '../../rng.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from '../sampler.ts'
import {
  CMA_ATTR,
  type CmaRun,
  type CmaTag,
  type ReplayCache,
  type RunInit,
  rankOrder,
  replay,
  runPopsize,
  startRun,
} from './cma-replay.ts'
import { SpaceIntersection } from './space-intersection.ts'
import { UnitSpace } from './unit-space.ts'

/** Options of `CmaEsSampler`. */
export interface CmaEsSamplerOptions {
  /**
   * Where the first run starts: given parameter values, `'center'` of the space, `'best'` completed trial, or
   * `'auto'`: the study's baseline trial (`systemAttrs.baseline`) once it completed, else the centre.
   * @default 'auto'
   */
  readonly x0?: ParamValues | 'auto' | 'center' | 'best'
  /** Initial step size in the unit cube (every numeric parameter scaled to [0, 1]). @default 1/6 */
  readonly sigma0?: number
  /** λ of the first run. @default 4 + ⌊3 ln n⌋ (n = parameters modelled) */
  readonly populationSize?: number
  /** Restart strategy once a run stagnates: IPOP (population × `incPopsize`) or none. @default 'ipop' */
  readonly restart?: 'ipop' | 'none'
  /** @default 2 */
  readonly incPopsize?: number
  /** Margin correction for int / stepped parameters (CMA-ES with Margin). @default true */
  readonly withMargin?: boolean
  /**
   * Categorical parameters: `'model'` learns a categorical distribution ranked together with the CMA update
   * (CatCMA's ASNG with margin); `'independent'` samples them at random as Optuna does. @default 'model'
   */
  readonly categorical?: 'model' | 'independent'
  /** Completed trials before CMA-ES takes over (earlier ones sample at random). @default 1 */
  readonly nStartupTrials?: number
}

type Resolved = Required<Omit<CmaEsSamplerOptions, 'populationSize'>> & { populationSize: number | undefined }

const OPTION_NAMES = {
  x0: true,
  sigma0: true,
  populationSize: true,
  restart: true,
  incPopsize: true,
  withMargin: true,
  categorical: true,
  nStartupTrials: true,
} satisfies OptionNames<CmaEsSamplerOptions>

/**
 * CMA-ES (Hansen 2016) for single-objective studies, in the structure of the CyberAgentAILab `cmaes` package that
 * Optuna uses, with Winnow's additions: integer and stepped parameters use CMA-ES with Margin, categoricals a
 * learned categorical distribution, and a stagnating run restarts with a doubled population (IPOP).
 *
 * The numeric parameters every completed trial shares are scaled to the unit cube (log parameters in log space)
 * and sampled jointly; out-of-bounds samples are redrawn (then clipped after 100 tries). Every sampled trial is
 * tagged in `systemAttrs.cmaes` with its generation and raw vector, and the state is rebuilt from those tags at
 * each ask, so any number of workers sharing a study drive one consistent search with nothing else stored.
 * Multi-objective studies fall back to random sampling.
 *
 * @example
 * const study = await Study.create({ storage, name: 'lora', sampler: new CmaEsSampler({ sigma0: 0.2 }), seed: 1 })
 */
export class CmaEsSampler implements Sampler {
  readonly name = 'cmaes'
  private readonly opts: Resolved
  // The last replayed state (per study and space); `replay` checks it against the history before reusing it.
  private cache: { key: string; replay: ReplayCache } | undefined
  private readonly intersection = new SpaceIntersection()

  constructor(opts: CmaEsSamplerOptions = {}) {
    checkOptionNames('CmaEsSampler', opts, OPTION_NAMES)
    const sigma0 = opts.sigma0 ?? 1 / 6
    if (!(sigma0 > 0) || !Number.isFinite(sigma0))
      throw new WinnowError('invalid_config', `CmaEsSampler sigma0 must be > 0, but got ${sigma0}. Try 0.1-0.3.`)
    const pop = opts.populationSize
    if (pop !== undefined && (!Number.isInteger(pop) || pop < 2))
      throw new WinnowError(
        'invalid_config',
        `CmaEsSampler populationSize must be an integer >= 2, but got ${pop}. Leave it out for 4 + 3 ln n.`,
      )
    this.opts = {
      x0: opts.x0 ?? 'auto',
      sigma0,
      populationSize: pop,
      restart: opts.restart ?? 'ipop',
      incPopsize: opts.incPopsize ?? 2,
      withMargin: opts.withMargin ?? true,
      categorical: opts.categorical ?? 'model',
      nStartupTrials: opts.nStartupTrials ?? 1,
    }
  }

  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    if (ctx.study.directions.length !== 1) return {}
    const complete = ctx.history.filter((t) => t.state === 'COMPLETE')
    if (complete.length < this.opts.nStartupTrials) return {}
    const space = this.intersection.update(ctx.study.id, ctx.history)
    const model = Object.entries(space).filter(([, d]) => d.kind !== 'categorical' || this.opts.categorical === 'model')
    const unit = new UnitSpace(Object.fromEntries(model))
    return unit.n === 0 ? {} : Object.fromEntries(model)
  }

  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    const unit = new UnitSpace(space)
    if (unit.n === 0) return {}
    const direction = ctx.study.directions[0]
    const restart = this.opts.restart === 'ipop'
    const cacheKey = `${ctx.study.id}:${unit.key}`
    const replayed = replay(
      ctx.history,
      unit,
      direction,
      { withMargin: this.opts.withMargin, restart },
      this.cache?.key === cacheKey ? this.cache.replay : undefined,
    )
    this.cache = replayed.cache ? { key: cacheKey, replay: replayed.cache } : undefined
    const result = replayed.result
    let state: CmaRun
    let init: RunInit | undefined
    if ('state' in result) state = result.state
    else {
      init = this.initRun(result.needsRun, ctx, unit)
      state = startRun(result.needsRun, init, unit, this.opts.withMargin)
    }
    const x = sampleInBounds(state, unit, ctx.rng)
    const xEval = state.margin ? state.margin.encode(x, state.cma.mean) : x
    const c = state.cat ? state.cat.sample(ctx.rng) : []
    const tag: CmaTag = { key: unit.key, run: state.run, gen: state.cma.generation, x, c, ...(init ? { init } : {}) }
    ctx.setTrialSystemAttrs?.({ [CMA_ATTR]: tag as unknown as Json })
    return unit.fromUnit(xEval, c)
  }

  sampleIndependent(ctx: SamplingContext, _param: string, distribution: Distribution): ParamValue {
    return samplePrior(distribution, ctx.rng)
  }

  /** How run `run` starts: the configured x0 for the first run, a uniform random point for restarts. */
  private initRun(run: number, ctx: SamplingContext, unit: UnitSpace): RunInit {
    const dims = unit.n + unit.categorical.length
    const popsize = runPopsize(this.opts.populationSize, dims, run, this.opts.incPopsize)
    const uniformQ = unit.categorical.map((p) => p.dist.choices.map(() => 1 / p.dist.choices.length))
    if (run > 0)
      return { mean: unit.numeric.map(() => ctx.rng.random()), sigma: this.opts.sigma0, popsize, q: uniformQ }
    const from = this.startPoint(ctx.history, ctx.study.directions[0])
    // Parameters the start point lacks start at the centre (numeric) or uniform (categorical).
    const centre = unit.fromUnit(
      unit.numeric.map(() => 0.5),
      unit.categorical.map(() => 0),
    )
    const point = from ? unit.toUnit({ ...centre, ...from }) : undefined
    if (point === undefined) return { mean: unit.numeric.map(() => 0.5), sigma: this.opts.sigma0, popsize, q: uniformQ }
    // Lean the categorical distributions towards the starting point's choices without ruling others out.
    const q = unit.categorical.map((p, j) =>
      Object.hasOwn(from!, p.name)
        ? p.dist.choices.map((_, k) => 0.7 / p.dist.choices.length + (k === point.c[j] ? 0.3 : 0))
        : uniformQ[j],
    )
    return { mean: point.x, sigma: this.opts.sigma0, popsize, q }
  }

  private startPoint(history: readonly FrozenTrial[], direction: 'minimize' | 'maximize'): ParamValues | undefined {
    const x0 = this.opts.x0
    if (typeof x0 === 'object') return x0
    if (x0 === 'center') return undefined
    const complete = history.filter((t) => t.state === 'COMPLETE' && t.values !== null)
    if (x0 === 'best') return rankOrder(complete, direction)[0]?.params
    return complete.find((t) => t.systemAttrs.baseline === true)?.params
  }
}

/** Draws from the run's distribution until the continuous coordinates fall in [0, 1] (100 tries, then clips). */
function sampleInBounds(state: CmaRun, unit: UnitSpace, rng: Rng): number[] {
  const continuous = unit.numeric.map((p) => p.grid === undefined || state.margin === undefined)
  const inside = (x: number[]) => x.every((v, i) => !continuous[i] || (v >= 0 && v <= 1))
  for (let i = 0; i < 100; i++) {
    const x = state.cma.sample(rng)
    if (inside(x)) return x
  }
  return state.cma.sample(rng).map((v, i) => (continuous[i] ? Math.min(1, Math.max(0, v)) : v))
}
