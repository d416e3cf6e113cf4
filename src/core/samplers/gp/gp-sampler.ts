import {
  containsValue,
  type Distribution,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../../distributions/distribution.ts'
import { samplePrior } from '../../distributions/sample-prior.ts'
import { SOBOL_MAX_DIMENSION, SobolSequence } from '../../math/sobol.ts'
import { createRng, deriveSeed } from '../../rng.ts'
import { intersectionSearchSpace } from '../../search-space/intersection.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from '../sampler.ts'
import { type Acquisition, type ConstraintModel, LogAcquisition } from './acquisition.ts'
import { SpaceEncoding } from './encoding.ts'
import { buildFeatureMap, type FeatureMap } from './feature-map.ts'
import { FIT_ROWS, fitSubset, shouldRefit } from './fit-policy.ts'
import { GpModel } from './gp-model.ts'
import { type GpSamplerOptions, type ResolvedGpOptions, resolveGpOptions } from './gp-options.ts'
import { defaultTheta, fitHyperparameters, type GpData, type Theta, unpackTheta } from './marginal-likelihood.ts'
import { optimizeAcquisition } from './optimize-acquisition.ts'
import { scalarizeCosts } from './scalarization.ts'
import { planRemap, type RemapPlan, RemappedAcquisition } from './space-remap.ts'
import { standardise, warpTargets } from './target-warping.ts'
import { collectTrainingData, type Rows } from './training-data.ts'

/** Salt that separates the startup scramble's stream from the per-trial streams of the same study seed. */
const STARTUP_SALT = 0x6e5b0a1

/** Best observed points (by posterior mean) around which extra acquisition candidates are drawn. */
const N_ANCHORS = 5

/**
 * Gaussian-process Bayesian optimisation, after Optuna's GPSampler (several objectives are scalarised per ask with
 * ParEGO's random Chebyshev weights, see `scalarizeCosts`).
 *
 * The parameters every COMPLETE trial shares (the intersection space) are modelled jointly: numeric ones in the
 * unit cube (log parameters in log space, integer and stepped ones rounded back onto their grid), categorical ones
 * by index with a Hamming-distance kernel (numeric categoricals also by their rank among the choices). The kernel is
 * a Matérn-5/2 ARD kernel plus a first-order additive one (a sum of one-dimensional Matérn kernels, so
 * one-dimensional effects are learned from every point); the GP is fitted to the (soft-clipped, standardised)
 * objective by maximising the marginal likelihood with weak priors, warm-started from the previous fit; the next
 * point maximises log expected improvement over the best posterior mean among feasible observed points, times the
 * probability of feasibility from one GP per constraint (`systemAttrs.constraints`, feasible when <= 0) and one on
 * the "crashed as infeasible" flag of FAIL trials (e.g. out of memory). RUNNING trials join the model with their
 * posterior mean as value (kriging believer), so parallel workers do not propose the same point. The first
 * `nStartupTrials` trials follow a scrambled Sobol sequence (point `trial.number`, scrambled from the study seed,
 * so parallel workers draw distinct points); parameters outside the relative space are sampled at random.
 * When the ask declares a space that differs from the trials' (`ctx.space`, e.g. the same study narrowed by
 * `winnow focus`), the GP models every trial over the union of old and new ranges and searches only the new
 * space (space-remap.ts).
 *
 * Determinism: a study replays exactly for a seed with a fresh sampler. The warm-start cache lives in the
 * instance, so a study resumed in a new process (cold fit) may take a different path from an uninterrupted one.
 *
 * @example
 * const study = await Study.create({ storage, name: 'lora', sampler: new GpSampler(), seed: 1 })
 */
export class GpSampler implements Sampler {
  readonly name = 'gp'
  readonly options: ResolvedGpOptions
  /** Last fitted hyperparameters per (space, model), to warm-start the next fit. */
  readonly #thetaCache = new Map<string, Theta>()
  #startup: { seed: number; dim: number; seq: SobolSequence } | undefined
  readonly #plans = new WeakMap<readonly FrozenTrial[], { space: SearchSpace; plan: RemapPlan | undefined }>()

  /** @throws WinnowError (invalid_config) naming a bad option, its value and a fix. */
  constructor(options: GpSamplerOptions = {}) {
    this.options = resolveGpOptions(options)
  }

  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    const plan = this.#plan(ctx)
    const space = plan?.free ?? intersectionSearchSpace(ctx.history)
    const names = Object.keys(space).filter((n) => !isSingleValued(space[n]))
    return Object.fromEntries(names.slice(0, SOBOL_MAX_DIMENSION).map((n) => [n, space[n]]))
  }

  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    if (Object.keys(space).length === 0) return {}
    const search = new SpaceEncoding(space)
    const plan = this.#plan(ctx)
    if (plan === undefined) return this.#propose(ctx, search, search, undefined)
    // Parameters the model has but this ask does not search are held at their value: fixed by the new space or
    // enqueued with the trial. One with no value on its axis (not pinned, or pinned outside it) is left out of the
    // model: its spread over the trials becomes unmodelled variation, the trial's own check reports a bad value.
    const pinned = (ctx.trial.systemAttrs.fixedParams as ParamValues | undefined) ?? ctx.trial.params
    const model: Record<string, Distribution> = {}
    const held: Record<string, ParamValue> = {}
    for (const [name, d] of Object.entries(plan.model)) {
      if (!Object.hasOwn(space, name)) {
        const v = Object.hasOwn(plan.fixed, name) ? plan.fixed[name] : pinned[name]
        if (v === undefined || !containsValue(d, v)) continue
        held[name] = v
      }
      model[name] = d
    }
    return this.#propose(ctx, search, new SpaceEncoding(model), held)
  }

  /** The remap plan when the ask's declared space differs from the trials' (see space-remap.ts). */
  #plan(ctx: SamplingContext): RemapPlan | undefined {
    if (ctx.space === undefined) return undefined
    // Study.ask hands one history array to both calls of an ask: plan once.
    const cached = this.#plans.get(ctx.history)
    if (cached !== undefined && cached.space === ctx.space) return cached.plan
    const plan = planRemap(ctx.history, ctx.space)
    this.#plans.set(ctx.history, { space: ctx.space, plan })
    return plan
  }

  /**
   * Fits the models on `model`'s inputs and maximises the acquisition over `search` (the same encoding, or with
   * `held`, a narrower space mapped into the model's, the held parameters at their values).
   */
  #propose(
    ctx: SamplingContext,
    search: SpaceEncoding,
    model: SpaceEncoding,
    held: Readonly<Record<string, ParamValue>> | undefined,
  ): ParamValues {
    const dirs = ctx.study.directions
    const data = collectTrainingData(ctx.history, model, dirs, this.options.constraintAware)
    const nObserved = data.objective.n + (data.crashes ? data.crashes.n - data.objective.n : 0)
    if (nObserved < this.options.nStartupTrials || nObserved === 0) return this.#startupPoint(ctx, search)
    const wrap = (a: Acquisition): Acquisition =>
      held === undefined ? a : new RemappedAcquisition(a, search, model, held)

    const key = model.signature
    const features = this.#featureMap(model)
    const constraints: ConstraintModel[] = []
    data.constraints.forEach((rows, j) => {
      const c = this.#constraintModel(`${key}|c${j}`, features, rows)
      if (c) constraints.push(c)
    })
    if (data.crashes) {
      const c = this.#constraintModel(`${key}|crash`, features, data.crashes)
      if (c) constraints.push(c)
    }
    if (data.objective.n === 0) {
      // Nothing finished yet (only crashes): search where crashes are least likely.
      if (constraints.length === 0) return this.#startupPoint(ctx, search)
      return this.#optimise(ctx, search, wrap(new LogAcquisition(constraints[0].model, undefined, constraints)), [])
    }
    const costs = scalarizeCosts(data.costs, data.objective.n, dirs.length, ctx.rng)
    const { x: objX, scores } = withCrashesAsWorst(data.objective.x, costs, data.crashes, model.size)
    const y = warpTargets(scores, this.options.targetWarping)
    const gp = this.#fit(`${key}|objective`, features, objX, y, this.options.deterministicObjective)
    // Noise-aware incumbent: the best posterior mean among feasible observed points.
    const means = gp.trainingMeans()
    const ranked: number[] = []
    for (let a = 0; a < data.objective.n; a++) if (data.feasible[a]) ranked.push(a)
    ranked.sort((a, b) => means[b] - means[a] || a - b)
    const best = ranked.length > 0 ? means[ranked[0]] : undefined
    const believer = data.pending.n > 0 ? withFantasies(gp, data.pending) : gp
    const acq = wrap(new LogAcquisition(believer, best, constraints))
    const d = model.size
    const anchors: Float64Array[] = []
    for (const a of ranked.slice(0, N_ANCHORS)) {
      const row = data.objective.x.slice(a * d, a * d + d)
      if (held === undefined) anchors.push(row)
      else {
        // In the search encoding: numbers clamped into the narrowed box; choices it dropped skip the point.
        const x = new Float64Array(search.size)
        if (search.encode(model.decode(row), x)) anchors.push(x)
      }
    }
    return this.#optimise(ctx, search, acq, anchors.slice(0, 1), anchors)
  }

  sampleIndependent(ctx: SamplingContext, _param: string, distribution: Distribution): ParamValue {
    return samplePrior(distribution, ctx.rng)
  }

  #optimise(
    ctx: SamplingContext,
    enc: SpaceEncoding,
    acq: Acquisition,
    starts: Float64Array[],
    anchors: Float64Array[] = [],
  ): ParamValues {
    const o = this.options
    const { x } = optimizeAcquisition(acq, enc, {
      nCandidates: o.nCandidates,
      nLocalSearchStarts: o.nLocalSearchStarts,
      maxIterations: o.acqMaxIterations,
      random: () => ctx.rng.random(),
      extraStarts: starts,
      anchors: o.sampleAroundBest ? anchors : [],
    })
    return enc.decode(x)
  }

  /** The kernel's features for this space (inputs, warped when asked, plus rank features when asked). */
  #featureMap(enc: SpaceEncoding): FeatureMap {
    const dims = enc.dims.map((dim) =>
      dim.kind === 'categorical' && dim.dist.kind === 'categorical'
        ? { categorical: true, choices: dim.dist.choices }
        : { categorical: dim.kind === 'categorical' },
    )
    const o = this.options
    return buildFeatureMap(dims, o.inputWarping, o.categoricalRanks, o.additiveKernel)
  }

  /** Fits (warm-started) hyperparameters and conditions a GP on the rows. */
  #fit(key: string, features: FeatureMap, x: Float64Array, y: Float64Array, fixedNoise: boolean): GpModel {
    const d = features.inputDim
    const data: GpData = { x, y, n: y.length, d, categorical: features.categorical.subarray(0, d), features }
    const cached = this.#thetaCache.get(key)
    const theta = shouldRefit(data.n, cached !== undefined)
      ? fitHyperparameters(
          fitSubset(data, FIT_ROWS),
          cached ?? defaultTheta(d, features),
          this.options.fitMaxIterations,
          fixedNoise,
        )
      : cached!
    this.#thetaCache.set(key, theta)
    return new GpModel(data, unpackTheta(theta, d, fixedNoise, features))
  }

  /** A feasibility model: P(value <= 0) under a GP on the standardised values; none when all values agree. */
  #constraintModel(key: string, features: FeatureMap, rows: Rows): ConstraintModel | undefined {
    if (rows.n === 0) return undefined
    let mean = 0
    for (const v of rows.values) mean += v
    mean /= rows.n
    let ss = 0
    for (const v of rows.values) ss += (v - mean) ** 2
    const sd = Math.sqrt(ss / rows.n)
    if (!(sd > 0)) return undefined
    const y = standardise(Float64Array.from(rows.values))
    const model = this.#fit(key, features, rows.x, y, false)
    return { model, threshold: (0 - mean) / sd }
  }

  /** Sobol point `trial.number`, scrambled from the study seed so every worker agrees on the sequence. */
  #startupPoint(ctx: SamplingContext, enc: SpaceEncoding): ParamValues {
    const s = ctx.study.systemAttrs.seed
    const seed = (typeof s === 'number' ? s : 0) + this.options.seed
    const dim = enc.size
    if (this.#startup?.seed !== seed || this.#startup.dim !== dim) {
      const rng = createRng(deriveSeed(seed, STARTUP_SALT))
      this.#startup = { seed, dim, seq: new SobolSequence(dim, { random: () => rng.random() }) }
    }
    const u = this.#startup.seq.at(ctx.trial.number)
    const x = new Float64Array(dim)
    enc.fromUniform(u, x)
    return enc.decode(x)
  }
}

/** The model with pending points added at their posterior mean (kriging believer), same hyperparameters. */
function withFantasies(model: GpModel, pending: Rows): GpModel {
  const { x, y, n, d } = model.data
  const xs = new Float64Array((n + pending.n) * d)
  xs.set(x)
  xs.set(pending.x, n * d)
  const ys = new Float64Array(n + pending.n)
  ys.set(y)
  for (let p = 0; p < pending.n; p++) ys[n + p] = model.predict(pending.x.subarray(p * d, (p + 1) * d)).mean
  return new GpModel({ ...model.data, x: xs, y: ys, n: n + pending.n }, model.params)
}

/**
 * Scores (higher is better) of the objective rows, plus the crashed (infeasible FAIL) points at the worst observed
 * score. Why: a crash tells nothing about the objective there, so without an imputed value the GP keeps its prior
 * uncertainty at crashed points and EI keeps pulling the search back; the feasibility model alone saturates.
 */
function withCrashesAsWorst(
  x: Float64Array,
  costs: Float64Array,
  crashes: Rows | undefined,
  d: number,
): { x: Float64Array; scores: Float64Array } {
  const n = costs.length
  const crashed: number[] = []
  if (crashes) for (let a = 0; a < crashes.n; a++) if (crashes.values[a] > 0) crashed.push(a)
  const scores = new Float64Array(n + crashed.length)
  let worst = Number.POSITIVE_INFINITY
  for (let a = 0; a < n; a++) {
    scores[a] = -costs[a]
    worst = Math.min(worst, scores[a])
  }
  if (crashed.length === 0) return { x, scores }
  const xs = new Float64Array((n + crashed.length) * d)
  xs.set(x.subarray(0, n * d))
  crashed.forEach((a, k) => {
    xs.set(crashes!.x.subarray(a * d, (a + 1) * d), (n + k) * d)
    scores[n + k] = worst
  })
  return { x: xs, scores }
}
