import {
  type Distribution,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  validateDistribution,
} from '../distributions/distribution.ts'
import { NotEnoughTrialsError, WinnowError } from '../errors.ts'
import type { Direction, FrozenTrial } from '../trial/frozen-trial.ts'
import type { ParamImportance } from './importance/encode.ts'
import { isFeasible } from './pareto.ts'

/** Options of `focusSpace`. */
export interface FocusOptions {
  /** How many of the most important parameters stay free; the others are fixed. */
  readonly keep: number
  /** Share of the COMPLETE trials, best first, whose values set the narrowed ranges. @default 0.2 */
  readonly quantile?: number
  /** @default 'minimize' */
  readonly direction?: Direction
  /** Which objective, for multi-objective studies. @default 0 */
  readonly objective?: number
  /** A range is widened on each side by this share of the top trials' span... @default 0.1 */
  readonly widen?: number
  /** ...plus this share of the original range, so a tight top set does not collapse the range. @default 0.02 */
  readonly margin?: number
  /** Fix the unimportant parameters at these values instead of the best trial's. */
  readonly baseline?: ParamValues
}

/** How one kept parameter's range changed. */
export interface NarrowedParam {
  readonly param: string
  readonly from: Distribution
  readonly to: Distribution
}

/** A follow-up search space: the important parameters narrowed, the others fixed. */
export interface FocusResult {
  /** Every parameter of the input space: narrowed, fixed (single-valued) or unchanged (no value to fix it at). */
  readonly space: SearchSpace
  /** The values the unimportant parameters are fixed at. */
  readonly fixed: ParamValues
  /** The kept parameters, most important first, with their old and new ranges. */
  readonly narrowed: readonly NarrowedParam[]
  /** The best COMPLETE trial (its kept parameters are inside the new space). */
  readonly best: FrozenTrial
  /**
   * The configuration to start the focused search from, inside the new space: the best trial's parameters with the
   * fixed ones at their fixed values (the same as the best trial's unless `baseline` gave others).
   */
  readonly start: ParamValues
  /** The top-quantile trials the ranges were taken from. */
  readonly top: readonly FrozenTrial[]
}

/**
 * Builds a focused follow-up space from a finished search: the `keep` most important parameters keep a range
 * narrowed to where the top `quantile` of COMPLETE trials lie (numbers: their [min, max], widened a little and
 * clipped to the original, in log space for log parameters, snapped outward to the step grid; categoricals: the
 * choices they used), and every other parameter is fixed at the best trial's value (or `baseline`'s) as a
 * single-valued distribution. The best trial's configuration always lies inside the result.
 *
 * @example
 * const ranked = fanovaImportance(trials)
 * const { space, fixed } = focusSpace(declaredSpace, trials, ranked, { keep: 3, quantile: 0.2 })
 */
export function focusSpace(
  space: SearchSpace,
  trials: readonly FrozenTrial[],
  importances: readonly ParamImportance[],
  opts: FocusOptions,
): FocusResult {
  const q = opts.quantile ?? 0.2
  if (!Number.isInteger(opts.keep) || opts.keep < 0)
    throw new WinnowError('invalid_value', `Focus keep must be a whole number >= 0, but got ${opts.keep}. Try 3.`)
  if (!(q > 0 && q <= 1))
    throw new WinnowError('invalid_value', `Focus quantile must be in (0, 1], but got ${q}. Try 0.2.`)
  const k = opts.objective ?? 0
  const sign = (opts.direction ?? 'minimize') === 'maximize' ? -1 : 1
  const complete = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && Number.isFinite(t.values[k]))
  // Narrow around trials that met the study's constraints: the region of an infeasible "best" is the wrong one.
  const done = complete.filter(isFeasible).sort((a, b) => sign * (a.values![k] - b.values![k]) || a.number - b.number)
  if (complete.length > 0 && done.length === 0)
    throw new NotEnoughTrialsError(
      `Focus narrows around the best trials, but all ${complete.length} completed trials break the study's constraints. Run more trials (or relax a bound in a new study) first.`,
    )
  if (done.length === 0)
    throw new NotEnoughTrialsError('Focus needs at least one COMPLETE trial, but found none. Run trials first.')
  const best = done[0]
  const top = done.slice(0, Math.min(done.length, Math.max(2, Math.ceil(q * done.length - 1e-9))))
  const kept = importances
    .filter((e) => Object.hasOwn(space, e.param) && !isSingleValued(space[e.param]))
    .slice(0, opts.keep)
    .map((e) => e.param)
  const out: Record<string, Distribution> = {}
  const fixed: Record<string, ParamValue> = {}
  const narrowed: NarrowedParam[] = []
  for (const [name, d] of Object.entries(space)) {
    if (kept.includes(name)) {
      const values = top.filter((t) => Object.hasOwn(t.params, name)).map((t) => t.params[name])
      // A continuous range tried at a few levels only (grid, sweep); int and stepped ones have their own grid.
      const continuous = d.kind === 'float' && d.step === undefined
      const tried = done.filter((t) => Object.hasOwn(t.params, name)).map((t) => t.params[name])
      const levels = continuous ? levelsTried(tried) : undefined
      out[name] = values.length === 0 ? d : narrow(d, values, opts.widen ?? 0.1, opts.margin ?? 0.02, levels)
      validateDistribution(name, out[name])
      continue
    }
    const v =
      opts.baseline !== undefined && Object.hasOwn(opts.baseline, name) ? opts.baseline[name] : best.params[name]
    if (v === undefined) out[name] = d
    else {
      fixed[name] = v
      out[name] = single(d, v)
    }
  }
  for (const name of kept) narrowed.push({ param: name, from: space[name], to: out[name] })
  return { space: out, fixed, narrowed, best, top, start: { ...best.params, ...fixed } }
}

function outward(v: number, round: (x: number) => number): number {
  if (v === 0 || !Number.isFinite(v)) return v
  const scale = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 3)
  return Number.parseFloat((round(v / scale) * scale).toPrecision(4))
}

/** The single-valued distribution of the same kind holding only `v`. */
function single(d: Distribution, v: ParamValue): Distribution {
  if (d.kind === 'categorical') return { kind: 'categorical', choices: [v] }
  const x = v as number
  return d.kind === 'int'
    ? { kind: 'int', low: x, high: x, log: d.log, step: d.step }
    : { kind: 'float', low: x, high: x, log: d.log, ...(d.step !== undefined ? { step: d.step } : {}) }
}

/**
 * The distinct numeric values tried when they repeat — levels of a grid or a one-at-a-time sweep (fewer distinct
 * values than half the trials) — else undefined (random or model-based search, every value new).
 */
function levelsTried(tried: readonly ParamValue[]): number[] | undefined {
  const levels = [...new Set(tried.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b)
  return levels.length > 0 && levels.length * 2 <= tried.length ? levels : undefined
}

/**
 * The top values' range, widened; with `levels` (a grid or sweep), out to the neighbouring levels tried, since
 * nothing between the best level and its neighbours was tried (an audit saw ±10 % around one grid level whose
 * neighbours lay half a decade away).
 */
function narrow(
  d: Distribution,
  values: readonly ParamValue[],
  widen: number,
  margin: number,
  levels?: readonly number[],
): Distribution {
  if (d.kind === 'categorical') return { kind: 'categorical', choices: d.choices.filter((c) => values.includes(c)) }
  const t = (v: number) => (d.log ? Math.log(v) : v)
  const inv = (v: number) => (d.log ? Math.exp(v) : v)
  const xs = values.map((v) => t(v as number))
  const lo = Math.min(...xs)
  const hi = Math.max(...xs)
  const pad = widen * (hi - lo) + margin * (t(d.high) - t(d.low))
  let low = Math.max(d.low, inv(lo - pad))
  let high = Math.min(d.high, inv(hi + pad))
  if (levels !== undefined) {
    const below = levels.filter((v) => t(v) < lo).at(-1)
    const above = levels.find((v) => t(v) > hi)
    if (below !== undefined) low = Math.min(low, below)
    if (above !== undefined) high = Math.max(high, above)
  }
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  if (step !== undefined) {
    // Outward onto the grid, so every value that was in [low, high] still is; toPrecision drops float noise.
    const snap = (v: number) => (d.kind === 'int' ? v : Number.parseFloat(v.toPrecision(12)))
    low = snap(d.low + Math.floor((low - d.low) / step + 1e-9) * step)
    high = snap(Math.min(d.high, d.low + Math.ceil((high - d.low) / step - 1e-9) * step))
  } else {
    // Four significant digits, rounded outward and clipped, keep study files readable.
    low = Math.max(d.low, outward(low, Math.floor))
    high = Math.min(d.high, outward(high, Math.ceil))
  }
  // Rounding must never push the bounds past the values they were taken from.
  low = Math.min(low, ...values.map(Number))
  high = Math.max(high, ...values.map(Number))
  return d.kind === 'int'
    ? { kind: 'int', low, high, log: d.log, step: d.step }
    : { kind: 'float', low, high, log: d.log, ...(d.step !== undefined ? { step: d.step } : {}) }
}
