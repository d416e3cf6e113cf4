import { badOption, checkOptionNames, type OptionNames } from '../../option-names.ts'

/** How objective values are transformed before the GP sees them (see `warpTargets`). */
export type TargetWarping = 'softclip' | 'none'

/** Options of `GpSampler`; every field is optional. */
export interface GpSamplerOptions {
  /** Trials drawn from a scrambled Sobol sequence before the GP takes over. @default 10 */
  readonly nStartupTrials?: number
  /** Sobol candidates scored by the acquisition before local search. @default 2048 */
  readonly nCandidates?: number
  /** Best candidates refined by L-BFGS-B and discrete local search. @default 6 */
  readonly nLocalSearchStarts?: number
  /** Iteration cap of each hyperparameter fit (warm-started fits usually stop far earlier). @default 40 */
  readonly fitMaxIterations?: number
  /** Iteration cap of each L-BFGS-B run on the acquisition. @default 30 */
  readonly acqMaxIterations?: number
  /**
   * The objective has no evaluation noise: the noise variance is pinned to its minimum (1e-6 of the standardised
   * variance) instead of being fitted. @default false
   */
  readonly deterministicObjective?: boolean
  /**
   * `softclip` compresses values far on the bad side of the median logarithmically (diverged runs stop flattening
   * the model of the good region); `none` only standardises. @default 'softclip'
   */
  readonly targetWarping?: TargetWarping
  /**
   * Learn from `systemAttrs.constraints` (feasible when all <= 0) and from FAIL trials marked
   * `systemAttrs.infeasible === true` (e.g. out of memory), and multiply the acquisition by the probability of
   * feasibility. @default true
   */
  readonly constraintAware?: boolean
  /**
   * Add to the Sobol acquisition candidates a quarter as many perturbations of the 5 best observed points (BoTorch's
   * `sample_around_best`). Off by default: at 100 trials it helped styblinski_tang8, hartmann6 and levy10 but hurt
   * ackley5 (more exploitation gets stuck in its local minima) and left lora-sft-surrogate unchanged. @default false
   */
  readonly sampleAroundBest?: boolean
  /**
   * Pass every numeric input through a Kumaraswamy CDF whose two parameters are fitted with the kernel's (input
   * warping, Snoek et al. 2014), so the GP can model a function that changes faster in one part of a range. Off by
   * default: on lora-sft-surrogate (20 seeds, 100 trials) it raised the median regret from 0.0117 to 0.0167 (worse
   * on 16 of 20 seeds); 2·d more hyperparameters overfit at this budget. @default false
   */
  readonly inputWarping?: boolean
  /**
   * Give each categorical with at least 3 choices, all numbers (e.g. LoRA rank 4…128), a second kernel distance on
   * its rank among the choices, beside the Hamming one, so neighbouring choices share information (and, with
   * `additiveKernel`, get a smooth one-dimensional curve). A weak effect at 100 trials on lora-sft-surrogate: alone
   * 0.0122 vs 0.0117 (20 seeds); with `additiveKernel` 0.0103 vs 0.0112 (50 seeds, better on 26). @default true
   */
  readonly categoricalRanks?: boolean
  /**
   * Add to the ARD kernel a first-order additive kernel (a sum of one-dimensional Matérn kernels, Duvenaud et al.
   * 2011) with its own scale and lengthscales, so one-dimensional effects are learned from every point. At 100
   * trials on lora-sft-surrogate (50 seeds) it lowered the median final regret from 0.0154 to 0.0112, and to
   * 0.0078–0.0103 with `categoricalRanks` (better on 35–37 of 50 seeds); it lowered it on 6 of the 7 test functions
   * (10 seeds; hartmann3 stayed near 3e-6). About 1.3× the time per ask. @default true
   */
  readonly additiveKernel?: boolean
  /** Mixed into the study seed, to get a different startup sequence with the same study. @default 0 */
  readonly seed?: number
}

/** GpSamplerOptions with every default filled in. */
export type ResolvedGpOptions = Required<GpSamplerOptions>

const bad = (option: string, rule: string, value: unknown, hint: string) =>
  badOption('GpSampler', option, rule, value, hint)

const OPTION_NAMES = {
  nStartupTrials: true,
  nCandidates: true,
  nLocalSearchStarts: true,
  fitMaxIterations: true,
  acqMaxIterations: true,
  deterministicObjective: true,
  targetWarping: true,
  constraintAware: true,
  sampleAroundBest: true,
  inputWarping: true,
  categoricalRanks: true,
  additiveKernel: true,
  seed: true,
} satisfies OptionNames<GpSamplerOptions>

/** Fills in defaults and validates; throws a WinnowError naming the option, the value and a fix. */
export function resolveGpOptions(o: GpSamplerOptions = {}): ResolvedGpOptions {
  checkOptionNames('GpSampler', o, OPTION_NAMES)
  const r: ResolvedGpOptions = {
    nStartupTrials: o.nStartupTrials ?? 10,
    nCandidates: o.nCandidates ?? 2048,
    nLocalSearchStarts: o.nLocalSearchStarts ?? 6,
    fitMaxIterations: o.fitMaxIterations ?? 40,
    acqMaxIterations: o.acqMaxIterations ?? 30,
    deterministicObjective: o.deterministicObjective ?? false,
    targetWarping: o.targetWarping ?? 'softclip',
    constraintAware: o.constraintAware ?? true,
    sampleAroundBest: o.sampleAroundBest ?? false,
    inputWarping: o.inputWarping ?? false,
    categoricalRanks: o.categoricalRanks ?? true,
    additiveKernel: o.additiveKernel ?? true,
    seed: o.seed ?? 0,
  }
  const int = (name: keyof ResolvedGpOptions, min: number, example: number) => {
    const v = r[name] as number
    if (!Number.isInteger(v) || v < min) throw bad(name, `an integer >= ${min}`, v, `Use e.g. ${name}: ${example}.`)
  }
  int('nStartupTrials', 0, 10)
  int('nCandidates', 1, 2048)
  int('nLocalSearchStarts', 0, 6)
  int('fitMaxIterations', 1, 40)
  int('acqMaxIterations', 0, 30)
  if (typeof r.deterministicObjective !== 'boolean')
    throw bad('deterministicObjective', 'a boolean', r.deterministicObjective, 'Use true or false.')
  if (typeof r.constraintAware !== 'boolean')
    throw bad('constraintAware', 'a boolean', r.constraintAware, 'Use true or false.')
  for (const name of ['sampleAroundBest', 'inputWarping', 'categoricalRanks', 'additiveKernel'] as const)
    if (typeof r[name] !== 'boolean') throw bad(name, 'a boolean', r[name], 'Use true or false.')
  if (r.targetWarping !== 'softclip' && r.targetWarping !== 'none')
    throw bad('targetWarping', "'softclip' or 'none'", r.targetWarping, "Use 'softclip'.")
  if (!Number.isFinite(r.seed)) throw bad('seed', 'a finite number', r.seed, 'Use an integer.')
  return r
}
