import * as z from 'zod'

/** Parameter names: they appear as `{name}` placeholders in argv, so they stay identifier-like. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** A categorical choice or condition value: a JSON scalar. */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])

/**
 * A condition on other parameters: `{optimizer: adamw}` or `{optimizer: [adamw, sgd]}`.
 * Every entry must hold (AND); a list means any of its values (OR).
 */
export const whenSchema = z
  .record(z.string(), z.union([scalarSchema, z.array(scalarSchema).min(1)]))
  .meta({ description: 'Only sample this parameter when the other parameters have these values.' })

const floatParam = z.strictObject({
  type: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  step: z.number().optional(),
  when: whenSchema.optional(),
})

const intParam = z.strictObject({
  type: z.literal('int'),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  step: z.number().default(1),
  when: whenSchema.optional(),
})

const categoricalParam = z.strictObject({
  type: z.literal('categorical'),
  choices: z.array(scalarSchema).min(1),
  when: whenSchema.optional(),
})

/** One parameter of the search space, tagged by `type`. */
export const paramSchema = z.discriminatedUnion('type', [floatParam, intParam, categoricalParam])

/** The search space: parameter name → distribution (declaration order is kept). */
export const spaceSchema = z
  .record(
    z.string().regex(PARAM_NAME, {
      error: (iss) =>
        `is not a usable parameter name, got ${JSON.stringify(iss.input)}. Start with a letter or _ and use letters, digits, _, - or .`,
    }),
    paramSchema,
  )
  .refine((s) => Object.keys(s).length > 0, {
    error:
      'must declare at least one parameter. Add e.g. learning_rate: {type: float, low: 1.0e-5, high: 1.0e-3, log: true}.',
  })
  .meta({ description: 'Parameters to tune: name → {type: float|int|categorical, ...}.' })

/** A parameter as written in the study file, after defaults. */
export type ParamConfig = z.output<typeof paramSchema>

/** The search space as written in the study file, after defaults. */
export type SpaceConfig = Readonly<Record<string, ParamConfig>>

/** A `when` condition as written in the study file. */
export type WhenConfig = z.output<typeof whenSchema>
