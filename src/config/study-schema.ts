import * as z from 'zod'
import { suggestion } from '../core/did-you-mean.ts'
import {
  knownModelNames,
  LINEAR_NAMES,
  normalizeModelName,
  OPTIMIZER_KINDS,
  resolveModel,
} from '../core/memory/index.ts'
import { DURATION_HINT, parseDuration } from './duration.ts'
import { describeValue } from './error-map.ts'
import { spaceSchema } from './space-schema.ts'
import { samplerSchema, schedulerSchema } from './strategy-schema.ts'

/** Study names: used in storage, file names and URLs. */
export const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** The default storage, relative to the study file. */
export const DEFAULT_STORAGE = 'sqlite:winnow.db'

/** A duration: `8h`, `30m`, `90s`, `1h30m` or a number of seconds; parsed to seconds. */
export const durationSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const seconds = parseDuration(v)
  if (seconds !== undefined) return seconds
  const what = typeof v === 'number' ? 'must be a positive duration' : 'is not a duration'
  ctx.issues.push({ code: 'custom', input: v, message: `${what}, but got ${describeValue(v)}. ${DURATION_HINT}` })
  return z.NEVER
})

/** A regular expression (JavaScript syntax), checked to compile. */
export const regexSchema = z.string().superRefine((source, ctx) => {
  if (source.includes('(?P<')) {
    const fixed = source.replaceAll('(?P<', '(?<')
    ctx.addIssue({
      code: 'custom',
      message: `uses Python's (?P<name>...) group syntax in ${JSON.stringify(source)}. Write (?<name>...) instead: ${JSON.stringify(fixed)}.`,
    })
    return
  }
  try {
    new RegExp(source)
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: /, '')
    ctx.addIssue({
      code: 'custom',
      message: `is not a valid regular expression: ${why}. Fix the pattern (JavaScript syntax).`,
    })
  }
})

const metricSchema = z.strictObject({
  name: z.string().min(1),
  direction: z.enum(['minimize', 'maximize']).default('minimize'),
})

const commandSchema = z
  .array(
    z.string({
      error: (iss) =>
        typeof iss.input === 'number' || typeof iss.input === 'boolean'
          ? `must be a string, but got ${iss.input}. Quote it: "${iss.input}".`
          : undefined,
    }),
    {
      error: (iss) => {
        if (iss.code !== 'invalid_type' || typeof iss.input !== 'string') return undefined
        const words = iss.input.trim().split(/\s+/).filter(Boolean)
        return `must be a list of arguments, not a string (no shell is used, so nothing would split it). Write command: [${words.map((w) => JSON.stringify(w)).join(', ')}].`
      },
    },
  )
  .min(1)
  .meta({ description: 'The training command as a list of arguments; {param} placeholders are replaced per argument.' })

const gpusPerTrial = z
  .number()
  .positive({
    error: (iss) =>
      `must be > 0, but got ${describeValue(iss.input)}. Use 1 for one GPU per trial, 0.5 to share a GPU between two trials, or set gpus: none.`,
    abort: true,
  })
  .refine(
    (v) =>
      v >= 1 ? Number.isInteger(v) : Number.isInteger(Math.round(1 / v)) && Math.abs(1 / v - Math.round(1 / v)) < 1e-9,
    {
      error: (iss) => `must be a whole number or a fraction 1/k (0.5, 0.25, ...), but got ${iss.input}. Round it.`,
    },
  )

/** A bound on a reported metric: `{metric: peak_mem_gb, max: 40}`, `{metric: tokens_per_second, min: 2000}`. */
const constraintSchema = z
  .strictObject({
    metric: z.string().min(1),
    max: z.number().optional(),
    min: z.number().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.max === undefined && c.min === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `has neither max nor min, so it bounds nothing. Add one, e.g. {metric: ${c.metric}, max: 40}.`,
      })
    else if (c.max !== undefined && c.min !== undefined && c.min > c.max)
      ctx.addIssue({
        code: 'custom',
        message: `has min ${c.min} above max ${c.max}, so no trial could satisfy it. Swap them.`,
      })
  })

const modelShapeSchema = z.strictObject({
  layers: z.number().int().min(1),
  hidden: z.number().int().min(1),
  intermediate: z.number().int().min(1),
  heads: z.number().int().min(1),
  kv_heads: z.number().int().min(1).optional(),
  head_dim: z.number().int().min(1).optional(),
  vocab: z.number().int().min(1),
  tied_embeddings: z.boolean().default(false),
  gated_mlp: z.boolean().default(true),
  params: z.number().positive().optional(),
})

const knownModel = z.string().refine((name) => resolveModel(name) !== undefined, {
  error: (iss) =>
    `is not a model the memory model knows, got ${describeValue(iss.input)}. ${suggestion(normalizeModelName(String(iss.input)), knownModelNames(), 'one of')} Or give its shape: {layers, hidden, intermediate, heads, kv_heads, vocab}.`,
})

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/)
const memoryTargets = z.union([z.enum(['all-linear', 'attention', 'qv']), z.array(z.enum(LINEAR_NAMES)).min(1)])

/**
 * `memory:` — the GPU-memory model (src/core/memory): configurations whose estimated peak exceeds the GPU are
 * recorded as infeasible instead of launched. Each setting is a fixed value or the name of a space parameter.
 */
const memorySchema = z
  .strictObject({
    model: z.union([knownModel, modelShapeSchema]),
    method: z.enum(['full', 'lora', 'qlora']).default('lora'),
    gpu_memory_gb: z.number().positive().optional().meta({ description: 'Default: the smallest detected GPU.' }),
    headroom_gb: z.number().min(0).default(0).meta({
      description:
        'GB kept free below gpu_memory_gb (or the detected GPU): the estimates run 3-20 % low, so e.g. 3 for 7-8B models.',
    }),
    precision: z.enum(['fp32', 'mixed', 'bf16', 'fp16']).optional(),
    optimizer: z.enum(OPTIMIZER_KINDS).optional(),
    batch_size: z.number().int().min(1).optional(),
    batch_size_param: paramName.optional(),
    seq_len: z.number().int().min(1).optional(),
    seq_len_param: paramName.optional(),
    lora_rank: z.number().int().min(1).optional(),
    lora_rank_param: paramName.optional(),
    target_modules: memoryTargets.optional(),
    target_modules_param: paramName.optional(),
    lora_dropout: z.number().min(0).max(1).optional(),
    gradient_checkpointing: z.boolean().optional(),
    gradient_checkpointing_param: paramName.optional(),
    sequences_per_sample: z.number().int().min(1).optional(),
    reference_model: z.boolean().optional(),
    loss: z.enum(['standard', 'chunked']).optional(),
    attention: z.enum(['flash', 'eager']).optional(),
    num_gpus: z.number().int().min(1).optional(),
    zero_stage: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  })
  .superRefine((m, ctx) => {
    for (const key of ['batch_size', 'seq_len', 'lora_rank', 'target_modules', 'gradient_checkpointing'] as const)
      if (m[key] !== undefined && m[`${key}_param`] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [`${key}_param`],
          message: `is set together with ${key}. Keep ${key} for a fixed value or ${key}_param for a tuned one, not both.`,
        })
  })

const STORAGE_SCHEMES = /^(sqlite:|postgres:\/\/|postgresql:\/\/|memory:?$)/

/** The study file, as users write it (snake_case keys). Unknown keys are errors. */
export const studySchema = z.strictObject({
  name: z.string().regex(STUDY_NAME, {
    error: (iss) =>
      `must use letters, digits, -, _ or . (starting with a letter or digit), but got ${describeValue(iss.input)}. Rename it, e.g. "qwen-lora-sft".`,
  }),
  description: z.string().optional(),
  metric: metricSchema.optional().meta({ description: 'The objective: {name, direction: minimize|maximize}.' }),
  metrics: z.array(metricSchema).min(1).optional().meta({ description: 'Several objectives (multi-objective).' }),
  command: commandSchema,
  cwd: z.string().min(1).optional().meta({ description: 'Working directory of trials, relative to the study file.' }),
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: (iss) =>
          `is not an environment variable name, got ${describeValue(iss.input)}. Use letters, digits and _.`,
      }),
      z.union([z.string(), z.number(), z.boolean()]).transform(String),
    )
    .default({}),
  space: spaceSchema,
  baseline: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  sampler: samplerSchema.default({ type: 'auto' }),
  scheduler: schedulerSchema.default({ type: 'none' }),
  fidelity: z.strictObject({ data_fraction: z.array(z.number().gt(0).max(1)).min(1) }).optional(),
  budget: z
    .strictObject({
      trials: z.number().int().min(1).optional().meta({
        description:
          'Trials in the whole study: every run and worker counts toward it (retries and queued trials that never started do not).',
      }),
      wall_time: durationSchema.optional().meta({
        description:
          'Per run: each `winnow tune` or `winnow worker` stops after this long (e.g. 8h); running again gets a new wall_time.',
      }),
      gpu_hours: z.number().positive().optional().meta({
        description:
          'GPU-hours of the whole study (every run and worker; wall × GPUs each trial holds). CPU trials hold none, so it never stops them.',
      }),
    })
    .prefault({})
    .meta({
      description:
        'When to stop: trials and gpu_hours count the whole study across runs; wall_time counts each run on its own.',
    }),
  resources: z
    .strictObject({
      concurrency: z.number().int().min(1).optional(),
      gpus: z
        .union([z.enum(['all', 'none']), z.number().int().min(0), z.array(z.number().int().min(0)).min(1)])
        .default('all'),
      gpus_per_trial: gpusPerTrial.default(1),
    })
    .prefault({}),
  trial: z
    .strictObject({
      timeout: durationSchema.optional(),
      grace_period: durationSchema.default(30),
      python_unbuffered: z.boolean().default(true),
    })
    .prefault({}),
  metrics_from: z
    .strictObject({
      protocol: z.boolean().default(true).meta({
        description:
          'true: the 127.0.0.1 HTTP endpoint (WINNOW_REPORT_URL) plus WINNOW {...} stdout lines; false: no endpoint, the clients print WINNOW lines, which are read, as is stdout_pattern.',
      }),
      stdout_pattern: z
        .union([regexSchema, z.array(regexSchema).min(1)])
        .transform((v) => (typeof v === 'string' ? [v] : v))
        .optional(),
      step_pattern: regexSchema.optional(),
    })
    .prefault({}),
  early_stopping: z
    .strictObject({
      patience: z.number().int().min(1).optional(),
      min_delta: z.number().min(0).default(0),
      divergence: z.strictObject({ nan: z.boolean().default(true), above: z.number().optional() }).prefault({}),
    })
    .optional(),
  checkpoints: z
    .strictObject({
      keep: z.enum(['last', 'best-and-last', 'all']).default('best-and-last'),
      delete_on_prune: z.boolean().default(true),
    })
    .prefault({}),
  storage: z
    .string()
    .regex(STORAGE_SCHEMES, {
      error: (iss) =>
        `must be a storage URL, but got ${describeValue(iss.input)}. Use sqlite:winnow.db, postgres://user@host/db or memory:.`,
    })
    .default(DEFAULT_STORAGE),
  retries: z.number().int().min(0).default(0),
  constraints: z.array(constraintSchema).default([]).meta({
    description:
      'Bounds on metrics the trial reports with its result, e.g. [{metric: peak_mem_gb, max: 40}]: a completed trial that breaks one (or does not report the metric) is infeasible: never the best, and the samplers learn to avoid it.',
  }),
  record: z
    .strictObject({
      data: z.array(z.string().min(1)).default([]),
      config: z.array(z.string().min(1)).default([]),
    })
    .optional()
    .meta({
      description:
        'Files or folders (relative to the study file) whose SHA-256 is stored with the study for the reproducibility record: the training data and configs the trials read.',
    }),
  memory: memorySchema.optional(),
})

/** The study file after zod parsing and defaults (snake_case, durations in seconds), before cross-field checks. */
export type StudyFileConfig = z.output<typeof studySchema>
