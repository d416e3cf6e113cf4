import {
  type Distribution,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../../distributions/distribution.ts'
import { logAddExp } from '../../math/normal.ts'
import type { Rng } from '../../rng.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from '../sampler.ts'
import { type Dimension, decodeValue, toDimension } from './dimension.ts'
import { uniformWeights } from './gamma-weights.ts'
import { refineCandidate } from './local-search.ts'
import { ObservationCache } from './observations.ts'
import { ParzenEstimator, type ParzenOptions } from './parzen-estimator.ts'
import { SpaceTracker } from './space-tracker.ts'
import { roleOf, type Split, splitTrials, type TrialRole } from './split.ts'
import { stratifiedStartupValue } from './startup.ts'
import { type ResolvedTpeOptions, resolveTpeOptions, type TpeSamplerOptions } from './tpe-options.ts'

/** Density-ratio model of feasibility: log P(feasible | x) = log(nG·good(x)) − log(nG·good(x) + nB·bad(x)). */
interface Feasibility {
  readonly good: ParzenEstimator
  readonly bad: ParzenEstimator
  readonly logGood: number
  readonly logBad: number
}

/** The split of one ask, shared by the relative sample and every independent suggestion of that trial. */
interface Model {
  readonly trialId: number
  readonly history: readonly FrozenTrial[]
  /** Trials the model counts (finished ones; RUNNING ones are not counted). */
  readonly n: number
  readonly split: Split
  /** Feasible and infeasible finished trials, for the feasibility model (empty when nothing is infeasible). */
  readonly feasible: FrozenTrial[]
  readonly infeasible: FrozenTrial[]
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023), following Optuna's modern TPE.
 *
 * Past trials are split into the best γ(n) ("below") and the rest ("above"); a Parzen estimator l(x) is fitted to
 * the first and g(x) to the second, and of `nEiCandidates` draws from l the one maximising l(x)/g(x) is proposed.
 * Multivariate by default: the parameters all trials share are modelled jointly, conditional ones one by one (or
 * per group with `group: true`). RUNNING trials count as bad (constant liar); infeasible trials (constraints > 0,
 * or FAIL marked `infeasible`, e.g. out of memory) are ranked after every feasible one; several objectives use
 * non-domination ranks and hypervolume (MOTPE).
 *
 * @example
 * const study = await Study.create({ storage, name: 'lora', sampler: new TpeSampler(), seed: 1 })
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe'
  readonly options: ResolvedTpeOptions
  private readonly parzen: ParzenOptions
  private readonly cache = new ObservationCache()
  private readonly spaces = new SpaceTracker()
  private model: Model | undefined

  constructor(opts: TpeSamplerOptions = {}) {
    this.options = resolveTpeOptions(opts)
    const o = this.options
    this.parzen = {
      priorWeight: o.priorWeight,
      considerMagicClip: o.considerMagicClip,
      considerEndpoints: o.considerEndpoints,
      multivariate: o.multivariate,
      bandwidthFactor: o.bandwidthFactor,
    }
  }

  /** The shared (intersection) space, or the union of groups; nothing when univariate. */
  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    if (!this.options.multivariate) return {}
    this.spaces.update(ctx.study.id, ctx.history)
    const spaces = this.options.group ? this.spaces.groupSpaces() : [this.spaces.intersectionSpace()]
    const out: Record<string, Distribution> = {}
    for (const s of spaces) for (const [k, d] of Object.entries(s)) if (!isSingleValued(d)) out[k] = d
    return out
  }

  /** Samples the relative space jointly (per group with `group`); empty during startup. */
  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    const names = Object.keys(space)
    if (names.length === 0) return {}
    const model = this.modelFor(ctx)
    if (model.n < this.options.nStartupTrials) return {}
    if (!this.options.group) return this.sampleSpace(ctx, model, space)
    const out: Record<string, ParamValue> = {}
    for (const g of this.spaces.groupSpaces()) {
      const sub = Object.fromEntries(
        Object.keys(g)
          .filter((k) => Object.hasOwn(space, k))
          .map((k) => [k, space[k]]),
      )
      if (Object.keys(sub).length > 0) Object.assign(out, this.sampleSpace(ctx, model, sub))
    }
    return out
  }

  /** Samples one parameter on its own (conditional parameters, univariate mode, startup). */
  sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue {
    const model = this.modelFor(ctx)
    if (model.n < this.options.nStartupTrials) {
      const o = this.options
      const n = o.startup === 'lhs' ? o.nStartupTrials : 0
      return stratifiedStartupValue(param, distribution, ctx.trial.number, n, this.seedOf(ctx), ctx.rng)
    }
    return this.sampleSpace(ctx, model, { [param]: distribution })[param]
  }

  private seedOf(ctx: SamplingContext): number {
    const s = ctx.study.systemAttrs.seed
    return (typeof s === 'number' ? s : 0) + this.options.seed
  }

  /** The trial roles and the good / bad split for this ask, computed once per trial. */
  private modelFor(ctx: SamplingContext): Model {
    const m = this.model
    if (m !== undefined && m.trialId === ctx.trial.id && m.history === ctx.history) return m
    const roles: { trial: FrozenTrial; role: TrialRole }[] = []
    const feasible: FrozenTrial[] = []
    const infeasible: FrozenTrial[] = []
    let n = 0
    for (const t of ctx.history) {
      if (t.id === ctx.trial.id) continue
      const role = roleOf(t, this.options)
      if (role === undefined) continue
      roles.push({ trial: t, role })
      if (role !== 'running') n++
      if (role === 'infeasible') infeasible.push(t)
      else if (role !== 'running') feasible.push(t)
    }
    const nBelow = Math.max(0, Math.min(n, Math.round(this.options.gamma(n))))
    const split = splitTrials(roles, ctx.study.directions, nBelow)
    this.model = {
      trialId: ctx.trial.id,
      history: ctx.history,
      n,
      split,
      feasible: infeasible.length > 0 ? feasible : [],
      infeasible,
    }
    return this.model
  }

  /** Fits l and g on the trials that have every parameter of `space` and returns the best candidate's values. */
  private sampleSpace(ctx: SamplingContext, model: Model, space: SearchSpace): ParamValues {
    const names = Object.keys(space)
    const dims = names.map((k) => toDimension(k, space[k]))
    const key = JSON.stringify(names.map((k) => [k, space[k]]))
    const below = this.cache.columns(key, dims, model.split.below)
    const above = this.cache.columns(key, dims, model.split.above)
    let wBelow: Float64Array
    if (model.split.belowWeights !== undefined) {
      const all = model.split.belowWeights
      wBelow = Float64Array.from(below.used, (i) => all[i])
    } else wBelow = this.options.weights(below.used.length)
    const wAbove = this.options.weights(above.used.length)
    const popts = dims.length > 1 ? this.parzen : { ...this.parzen, multivariate: false }
    const l = new ParzenEstimator(dims, below.cols, wBelow, popts)
    const g = new ParzenEstimator(dims, above.cols, wAbove, popts)
    const feas = this.feasibilityModel(model, key, dims, popts)
    const best = this.bestCandidate(ctx.rng, l, g, feas)
    const out: Record<string, ParamValue> = {}
    for (let j = 0; j < dims.length; j++) out[names[j]] = decodeValue(dims[j], best[j])
    return out
  }

  /**
   * Log P(feasible | x) as a density ratio (in the spirit of c-TPE, Watanabe & Hutter 2023): Parzen estimators of
   * the feasible and the infeasible trials, weighted by their counts. Ranking infeasible trials last is not
   * enough when the optimum sits on the boundary; this term keeps proposals on the feasible side.
   */
  private feasibilityModel(
    model: Model,
    key: string,
    dims: Dimension[],
    popts: ParzenOptions,
  ): Feasibility | undefined {
    if (model.infeasible.length === 0) return undefined
    const bad = this.cache.columns(key, dims, model.infeasible)
    if (bad.used.length === 0) return undefined
    const good = this.cache.columns(key, dims, model.feasible)
    return {
      good: new ParzenEstimator(dims, good.cols, uniformWeights(good.used.length), popts),
      bad: new ParzenEstimator(dims, bad.cols, uniformWeights(bad.used.length), popts),
      logGood: Math.log(good.used.length + 1),
      logBad: Math.log(bad.used.length + 1),
    }
  }

  private bestCandidate(rng: Rng, l: ParzenEstimator, g: ParzenEstimator, feas?: Feasibility): Float64Array {
    const count = this.options.nEiCandidates
    const cand = l.sample(rng, count)
    const ll = l.logPdf(cand, count)
    const lg = g.logPdf(cand, count)
    if (feas !== undefined) {
      const pg = feas.good.logPdf(cand, count)
      const pb = feas.bad.logPdf(cand, count)
      for (let c = 0; c < count; c++) {
        const a = feas.logGood + pg[c]
        ll[c] += a - logAddExp(a, feas.logBad + pb[c])
      }
    }
    let best = 0
    let bestScore = Number.NEGATIVE_INFINITY
    for (let c = 0; c < count; c++) {
      const s = ll[c] - lg[c]
      if (s > bestScore) {
        bestScore = s
        best = c
      }
    }
    const x = Float64Array.from(cand, (col) => col[best])
    if (this.options.localSearchSteps === 0 || feas !== undefined) return x
    return refineCandidate(x, bestScore, l, g, rng, this.options.localSearchSteps)
  }
}
