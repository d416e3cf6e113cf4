import * as z from 'zod'

// Algorithm options are optional without defaults here: each sampler / scheduler owns its defaults, so the study
// file never disagrees with the implementation. Only the choice of algorithm is defaulted (study-schema.ts).

const seed = z
  .number()
  .int()
  .min(0)
  .optional()
  .meta({ description: 'Random seed; the same seed gives the same trials.' })
const count = z.number().int().min(0).optional()
const positiveInt = z.number().int().min(1).optional()
const probability = z.number().min(0).max(1).optional()

/** Sampler names accepted by `sampler:` (alone or as `type`). */
export const SAMPLER_TYPES = ['auto', 'random', 'grid', 'qmc', 'tpe', 'gp', 'cmaes', 'nsga2', 'ofat'] as const

const samplerOptions = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), seed }),
  z.strictObject({ type: z.literal('random'), seed }),
  z.strictObject({ type: z.literal('grid'), seed, resolution: z.number().int().min(2).optional() }),
  z.strictObject({
    type: z.literal('qmc'),
    seed,
    qmc_type: z.enum(['sobol']).optional(),
    scramble: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('tpe'),
    seed,
    n_startup_trials: count,
    n_ei_candidates: positiveInt,
    multivariate: z.boolean().optional(),
    group: z.boolean().optional(),
    constant_liar: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('gp'), seed, n_startup_trials: count }),
  z.strictObject({
    type: z.literal('cmaes'),
    seed,
    n_startup_trials: count,
    sigma0: z.number().positive().optional(),
    popsize: positiveInt,
    restart_strategy: z.enum(['none', 'ipop']).optional(),
  }),
  z.strictObject({
    type: z.literal('nsga2'),
    seed,
    population_size: z.number().int().min(2).optional(),
    mutation_prob: probability,
    crossover_prob: probability,
  }),
  z.strictObject({ type: z.literal('ofat'), seed }),
])

/** `sampler:` — a name (`tpe`) or an object with `type` and that sampler's options. */
export const samplerSchema = z
  .union([z.enum(SAMPLER_TYPES), samplerOptions])
  .transform((v) => (typeof v === 'string' ? { type: v } : v) as z.output<typeof samplerOptions>)
  .meta({ description: 'Which configuration to try next: auto, random, grid, qmc, tpe, gp, cmaes, nsga2, ofat.' })

/** Scheduler names accepted by `scheduler:` (alone or as `type`). */
export const SCHEDULER_TYPES = [
  'auto',
  'none',
  'median',
  'percentile',
  'threshold',
  'patient',
  'wilcoxon',
  'asha',
  'hyperband',
  'bohb',
  'pbt',
] as const

/** Resource kinds a scheduler can budget. */
export const RESOURCE_KINDS = ['steps', 'epochs', 'data_fraction'] as const

/** `resource:` — a kind (`steps`) or `{kind, min, max}`; promotion schedulers need min and max. */
export const resourceSchema = z
  .union([
    z.enum(RESOURCE_KINDS),
    z.strictObject({
      kind: z.enum(RESOURCE_KINDS),
      min: z.number().positive().optional(),
      max: z.number().positive().optional(),
    }),
  ])
  .transform(
    (v) =>
      (typeof v === 'string' ? { kind: v } : v) as {
        kind: (typeof RESOURCE_KINDS)[number]
        min?: number
        max?: number
      },
  )

// Fields every scheduler accepts: which reported metric it watches (default: the first objective) and the resource.
const common = {
  metric: z.string().min(1).optional(),
  resource: resourceSchema.optional(),
}
// Residual standard deviations a trial may trail a successive-halving cut by (RungLadder.noiseMargin).
const nonNegative = z.number().min(0).optional()
const pruning = { n_startup_trials: count, n_warmup_steps: count, interval_steps: positiveInt }
const promotion = {
  reduction_factor: z.number().min(2).optional(),
  mode: z.enum(['stopping', 'promotion']).optional(),
}

const schedulerOptions = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), ...common, smoothing: positiveInt, confidence: nonNegative }),
  z.strictObject({ type: z.literal('none'), ...common }),
  z.strictObject({ type: z.literal('median'), ...common, ...pruning, n_min_trials: positiveInt }),
  z.strictObject({
    type: z.literal('percentile'),
    ...common,
    ...pruning,
    n_min_trials: positiveInt,
    percentile: z.number().gt(0).lt(100),
  }),
  z.strictObject({
    type: z.literal('threshold'),
    ...common,
    n_warmup_steps: count,
    interval_steps: positiveInt,
    lower: z.number().optional(),
    upper: z.number().optional(),
  }),
  z.strictObject({
    type: z.literal('patient'),
    ...common,
    patience: z.number().int().min(0),
    min_delta: z.number().min(0).optional(),
    wraps: z.enum(['median', 'none']).optional().meta({
      description:
        'median (default): a trial whose last `patience` + 1 reports trail its best before by more than min_delta is pruned when it is also below the median; none: pruned on that alone.',
    }),
  }),
  z.strictObject({
    type: z.literal('wilcoxon'),
    ...common,
    p_threshold: z.number().gt(0).lt(1).optional(),
    n_startup_steps: count,
  }),
  z.strictObject({
    type: z.literal('asha'),
    ...common,
    ...promotion,
    min_early_stopping_rate: count,
    smoothing: positiveInt,
    confidence: nonNegative,
  }),
  z.strictObject({ type: z.literal('hyperband'), ...common, ...promotion, brackets: positiveInt }),
  z.strictObject({ type: z.literal('bohb'), ...common, ...promotion, brackets: positiveInt }),
  z.strictObject({
    type: z.literal('pbt'),
    ...common,
    perturbation_interval: z.number().positive().optional(),
    quantile_fraction: z.number().gt(0).max(0.5).optional(),
    resample_probability: probability,
  }),
])

/** `scheduler:` — a name (`median`) or an object with `type`, `resource` and that scheduler's options. */
export const schedulerSchema = z
  .union([z.enum(SCHEDULER_TYPES), schedulerOptions])
  .transform((v) => (typeof v === 'string' ? { type: v } : v) as z.output<typeof schedulerOptions>)
  .meta({ description: 'When to stop or pause a trial early: auto, none, median, ..., asha, hyperband, bohb, pbt.' })

/** Sampler settings after parsing (always an object). */
export type SamplerConfig = z.output<typeof samplerSchema>

/** Scheduler settings after parsing (always an object; `resource` normalised to `{kind, min?, max?}`). */
export type SchedulerConfig = z.output<typeof schedulerSchema>
