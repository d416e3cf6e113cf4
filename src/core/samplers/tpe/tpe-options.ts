import { badOption, checkOptionNames, type OptionNames } from '../../option-names.ts'
import { defaultGamma, defaultWeights, type GammaFunction, type WeightsFunction } from './gamma-weights.ts'

/** Options of `TpeSampler`; every field is optional. */
export interface TpeSamplerOptions {
  /** Trials sampled from the prior (Latin-hypercube stratified, see `startup`) before TPE takes over. @default 10 */
  readonly nStartupTrials?: number
  /** Candidates drawn from the good density; the one with the best l(x)/g(x) wins. @default 24 */
  readonly nEiCandidates?: number
  /** Model the parameters every trial shares jointly instead of one by one. @default true */
  readonly multivariate?: boolean
  /**
   * With `multivariate`, split a conditional space into groups of parameters that always appear together and
   * model each group jointly (Optuna's `group=True`). @default false
   */
  readonly group?: boolean
  /** Number of good trials out of n. @default defaultGamma: min(ceil(0.1·n), 25) */
  readonly gamma?: GammaFunction
  /** Weights of observations ordered oldest first. @default defaultWeights (older ones fade beyond 25) */
  readonly weights?: WeightsFunction
  /** Weight of the prior kernel relative to one observation. @default 1 */
  readonly priorWeight?: number
  /** Keep univariate kernels from collapsing: σ >= range / min(100, kernels + 1). @default true */
  readonly considerMagicClip?: boolean
  /** Univariate bandwidths also count the distance to the range's ends. @default false */
  readonly considerEndpoints?: boolean
  /**
   * Multiplier of the multivariate (Scott-like) bandwidth factor · n^(−1/(d+4)) · range. Optuna uses 0.2; 0.06
   * won on 7 of 8 public benchmark problems at 100 trials (bench/samplers). @default 0.06
   */
  readonly bandwidthFactor?: number
  /** Rank PRUNED trials by the step they reached and learn from them. @default true */
  readonly considerPruned?: boolean
  /** Count RUNNING trials as bad, so parallel workers do not all propose the same point. @default true */
  readonly constantLiar?: boolean
  /**
   * Learn from `systemAttrs.constraints` (feasible when all <= 0) and from FAIL trials marked
   * `systemAttrs.infeasible === true` (e.g. out of memory): such trials go to the bad group. @default true
   */
  readonly constraintAware?: boolean
  /** How startup trials are drawn: 'lhs' stratifies each parameter over the startup trials. @default 'lhs' */
  readonly startup?: 'lhs' | 'random'
  /** Hill-climbing steps on l(x)/g(x) from the best candidate (0 = off). @default 0 */
  readonly localSearchSteps?: number
  /** Mixed into the study seed, to get a different stream with the same study. @default 0 */
  readonly seed?: number
}

/** TpeSamplerOptions with every default filled in. */
export type ResolvedTpeOptions = Required<TpeSamplerOptions>

const bad = (option: string, rule: string, value: unknown, hint: string) =>
  badOption('TpeSampler', option, rule, value, hint)

const OPTION_NAMES = {
  nStartupTrials: true,
  nEiCandidates: true,
  multivariate: true,
  group: true,
  gamma: true,
  weights: true,
  priorWeight: true,
  considerMagicClip: true,
  considerEndpoints: true,
  bandwidthFactor: true,
  considerPruned: true,
  constantLiar: true,
  constraintAware: true,
  startup: true,
  localSearchSteps: true,
  seed: true,
} satisfies OptionNames<TpeSamplerOptions>

/** Fills in defaults and validates; throws a WinnowError naming the option, the value and a fix. */
export function resolveTpeOptions(o: TpeSamplerOptions = {}): ResolvedTpeOptions {
  checkOptionNames('TpeSampler', o, OPTION_NAMES)
  const r: ResolvedTpeOptions = {
    nStartupTrials: o.nStartupTrials ?? 10,
    nEiCandidates: o.nEiCandidates ?? 24,
    multivariate: o.multivariate ?? true,
    group: o.group ?? false,
    gamma: o.gamma ?? defaultGamma,
    weights: o.weights ?? defaultWeights,
    priorWeight: o.priorWeight ?? 1,
    considerMagicClip: o.considerMagicClip ?? true,
    considerEndpoints: o.considerEndpoints ?? false,
    bandwidthFactor: o.bandwidthFactor ?? 0.06,
    considerPruned: o.considerPruned ?? true,
    constantLiar: o.constantLiar ?? true,
    constraintAware: o.constraintAware ?? true,
    startup: o.startup ?? 'lhs',
    localSearchSteps: o.localSearchSteps ?? 0,
    seed: o.seed ?? 0,
  }
  const int = (name: keyof ResolvedTpeOptions, min: number) => {
    const v = r[name] as number
    if (!Number.isInteger(v) || v < min)
      throw bad(name, `an integer >= ${min}`, v, `Use e.g. ${name}: ${Math.max(min, 10)}.`)
  }
  int('nStartupTrials', 0)
  int('nEiCandidates', 1)
  int('localSearchSteps', 0)
  if (!(r.priorWeight > 0) || !Number.isFinite(r.priorWeight))
    throw bad('priorWeight', 'a finite number > 0', r.priorWeight, 'The usual value is 1.')
  if (!(r.bandwidthFactor > 0) || !Number.isFinite(r.bandwidthFactor))
    throw bad('bandwidthFactor', 'a finite number > 0', r.bandwidthFactor, 'The default is 0.06 (Optuna uses 0.2).')
  if (typeof r.gamma !== 'function')
    throw bad('gamma', 'a function (n) => number', typeof r.gamma, 'Pass e.g. defaultGamma.')
  if (typeof r.weights !== 'function')
    throw bad('weights', 'a function (n) => Float64Array', typeof r.weights, 'Pass e.g. defaultWeights.')
  if (r.startup !== 'lhs' && r.startup !== 'random') throw bad('startup', "'lhs' or 'random'", r.startup, "Use 'lhs'.")
  if (!Number.isFinite(r.seed)) throw bad('seed', 'a finite number', r.seed, 'Use an integer.')
  if (r.group && !r.multivariate)
    throw bad('group', 'false unless multivariate is true', r.group, 'Set multivariate: true.')
  return r
}
