import { SearchSpaceError } from '../errors.ts'

/** A categorical choice: plain JSON scalars, so they survive storage and the wire unchanged. */
export type CategoricalChoice = string | number | boolean | null

/** A parameter value as the objective sees it. */
export type ParamValue = CategoricalChoice

/** Parameter values of one trial, by name. */
export type ParamValues = Readonly<Record<string, ParamValue>>

/**
 * The range a parameter is drawn from, as a tagged union.
 *
 * - `float`: real in [low, high]; `log` samples uniformly in log space (low > 0); `step` discretises
 *   to low + k·step (not with log).
 * - `int`: integer in [low, high] on the grid low + k·step; `log` samples in log space (low >= 1, step 1).
 * - `categorical`: one of `choices`, unordered.
 */
export type Distribution =
  | {
      readonly kind: 'float'
      readonly low: number
      readonly high: number
      readonly log: boolean
      readonly step?: number
    }
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number }
  | { readonly kind: 'categorical'; readonly choices: readonly CategoricalChoice[] }

/** A declared search space: parameter name → distribution. */
export type SearchSpace = Readonly<Record<string, Distribution>>

/** Builds a float distribution, validating it at once. */
export function floatDist(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}) {
  const d: Distribution = {
    kind: 'float',
    low,
    high,
    log: opts.log ?? false,
    ...(opts.step !== undefined ? { step: opts.step } : {}),
  }
  validateDistribution(name, d)
  return d
}

/** Builds an int distribution, validating it at once. */
export function intDist(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}) {
  const d: Distribution = { kind: 'int', low, high, log: opts.log ?? false, step: opts.step ?? 1 }
  validateDistribution(name, d)
  return d
}

/** Builds a categorical distribution, validating it at once. */
export function categoricalDist(name: string, choices: readonly CategoricalChoice[]): Distribution {
  const d: Distribution = { kind: 'categorical', choices: [...choices] }
  validateDistribution(name, d)
  return d
}

const bad = (name: string, rule: string, got: string, fix: string) =>
  new SearchSpaceError(`Search space is invalid for "${name}": ${rule} must hold, but got ${got}. ${fix}`)

/** Throws a SearchSpaceError naming the parameter, the values and the fix when `d` breaks a rule. */
export function validateDistribution(name: string, d: Distribution): void {
  if (d.kind === 'categorical') {
    if (!Array.isArray(d.choices) || d.choices.length === 0)
      throw bad(name, 'a non-empty `choices` list', 'none', 'List at least one choice.')
    const seen = new Set<string>()
    for (const c of d.choices) {
      const t = typeof c
      if (!(c === null || t === 'string' || t === 'number' || t === 'boolean'))
        throw bad(name, 'choices are strings, numbers, booleans or null', JSON.stringify(c), 'Use scalar choices.')
      if (t === 'number' && !Number.isFinite(c))
        throw bad(name, 'numeric choices are finite', String(c), 'Remove NaN/Infinity.')
      const key = JSON.stringify(c)
      if (seen.has(key)) throw bad(name, 'choices are distinct', `${key} twice`, 'Remove the duplicate.')
      seen.add(key)
    }
    return
  }
  const { low, high, log } = d
  if (!Number.isFinite(low) || !Number.isFinite(high))
    throw bad(name, 'finite bounds', `low=${low}, high=${high}`, 'Give numeric low and high.')
  if (low > high) throw bad(name, '`low <= high`', `low=${low}, high=${high}`, 'Swap the bounds.')
  if (log && low <= 0) throw bad(name, '`low > 0` for a log distribution', `low=${low}`, 'Raise low or set log: false.')
  const step = d.step
  if (step !== undefined) {
    if (!(step > 0) || !Number.isFinite(step))
      throw bad(name, '`step > 0`', `step=${step}`, 'Give a positive step or leave it out.')
    if (log && (d.kind === 'float' || step !== 1))
      throw bad(name, '`step` is not combined with log', `step=${step}, log=true`, 'Use either log or step.')
  }
  if (d.kind === 'int') {
    if (!Number.isInteger(low) || !Number.isInteger(high))
      throw bad(
        name,
        'integer bounds for an int parameter',
        `low=${low}, high=${high}`,
        'Use whole numbers or type float.',
      )
    if (!Number.isInteger(step)) throw bad(name, 'an integer step', `step=${step}`, 'Use a whole-number step.')
  }
}

/** Number of grid points of a stepped distribution (the last point is <= high). */
function stepCount(low: number, high: number, step: number): number {
  return Math.floor((high - low) / step + 1e-9) + 1
}

/** True when `value` is a legal value of `d` (in range, on the step grid, one of the choices). */
export function containsValue(d: Distribution, value: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.some((c) => sameChoice(c, value))
  if (typeof value !== 'number' || !Number.isFinite(value)) return false
  if (value < d.low || value > d.high) return false
  if (d.kind === 'int' && !Number.isInteger(value)) return false
  if (d.step !== undefined) {
    const k = (value - d.low) / d.step
    return Math.abs(k - Math.round(k)) < 1e-8
  }
  return true
}

function sameChoice(a: CategoricalChoice, b: ParamValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
}

/**
 * Maps a value to the sampler's internal number: the categorical index, or the number itself.
 * Throws when the value is not in the distribution.
 */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.findIndex((c) => sameChoice(c, value))
    if (i < 0)
      throw new SearchSpaceError(
        `Value ${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}.`,
      )
    return i
  }
  return value as number
}

/** Maps an internal number back to a legal value: rounds to the step grid / index and clamps into range. */
export function fromInternal(d: Distribution, x: number): ParamValue {
  if (d.kind === 'categorical') {
    const i = Math.min(d.choices.length - 1, Math.max(0, Math.round(x)))
    return d.choices[i]
  }
  return snapToGrid(d, x)
}

/** Rounds a number onto the distribution's step grid (ints always) and clamps it into [low, high]. */
export function snapToGrid(d: Exclude<Distribution, { kind: 'categorical' }>, x: number): number {
  let v = Math.min(d.high, Math.max(d.low, x))
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  if (step !== undefined) {
    const n = stepCount(d.low, d.high, step)
    const k = Math.min(n - 1, Math.max(0, Math.round((v - d.low) / step)))
    v = d.low + k * step
    // Remove floating noise such as 0.30000000000000004 from low + k·step.
    if (d.kind === 'float') v = Number.parseFloat(v.toPrecision(15))
  }
  return v
}

/** The finite list of values of a distribution (categorical, int, stepped float), or undefined if continuous. */
export function finiteValues(d: Distribution): ParamValue[] | undefined {
  if (d.kind === 'categorical') return [...d.choices]
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  if (step === undefined) return undefined
  const n = stepCount(d.low, d.high, step)
  return Array.from({ length: n }, (_, k) => snapToGrid(d, d.low + k * step))
}

/** Structural equality of two distributions (same kind, bounds, flags, choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b))
}

function normalise(d: Distribution) {
  if (d.kind === 'categorical') return { kind: d.kind, choices: d.choices }
  return { kind: d.kind, low: d.low, high: d.high, log: d.log, step: d.step ?? null }
}

/** Whether a distribution has a single possible value (samplers skip it). */
export function isSingleValued(d: Distribution): boolean {
  if (d.kind === 'categorical') return d.choices.length === 1
  if (d.low === d.high) return true
  const values = finiteValues(d)
  return values !== undefined && values.length === 1
}

/** The value of a single-valued distribution (its first value: first choice, or first grid point). */
export function onlyValue(d: Distribution): ParamValue {
  return d.kind === 'categorical' ? d.choices[0] : (finiteValues(d)?.[0] ?? d.low)
}

/** A short human form, e.g. `float[1e-5, 0.001] log`, for tables and error messages. */
export function describeDistribution(d: Distribution): string {
  if (d.kind === 'categorical') return `categorical ${JSON.stringify(d.choices)}`
  const flags = [
    d.log ? 'log' : '',
    d.step !== undefined && !(d.kind === 'int' && d.step === 1) ? `step ${d.step}` : '',
  ]
  return `${d.kind}[${d.low}, ${d.high}]${flags
    .filter(Boolean)
    .map((f) => ` ${f}`)
    .join('')}`
}
