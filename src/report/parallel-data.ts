import { isFeasible } from '../core/analysis/pareto.ts'
import type { Distribution, ParamValue } from '../core/distributions/distribution.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { ParallelAxis, ParallelData } from './report-data.ts'

/** Most parameter axes drawn (the most important first); a wide space is unreadable as parallel coordinates. */
export const MAX_PARALLEL_PARAMS = 10
/** Most lines drawn (the best ones): keeps the report small and the chart legible. */
export const MAX_PARALLEL_LINES = 500
/** Share of the drawn trials, best first, highlighted as the top group. */
const TOP_SHARE = 0.1

/**
 * The parallel-coordinates view of a single-objective study: one vertical axis per parameter (most important
 * first, then by name) and one for the objective, and one line per COMPLETE trial through its values, so the
 * ranges where the best trials lie stand out. Positions are in [0, 1] along each axis (log scale for log
 * parameters, choices evenly spaced for categoricals); a parameter a trial lacks (conditional spaces) is null.
 * Undefined with fewer than two drawable trials or no parameters.
 */
export function parallelOf(
  trials: readonly FrozenTrial[],
  direction: Direction,
  metricName: string,
  importanceOrder: readonly string[],
  baselineNumber: number | undefined,
): ParallelData | undefined {
  const sign = direction === 'maximize' ? -1 : 1
  // Trials that meet the constraints rank first: an infeasible one is never drawn as best or top.
  const infeasible = (t: FrozenTrial) => (isFeasible(t) ? 0 : 1)
  const done = trials
    .filter((t) => t.state === 'COMPLETE' && t.values !== null && Number.isFinite(t.values[0]))
    .sort((a, b) => infeasible(a) - infeasible(b) || sign * (a.values![0] - b.values![0]) || a.number - b.number)
    .slice(0, MAX_PARALLEL_LINES)
  if (done.length < 2) return undefined
  const dists = new Map<string, Distribution>()
  for (const t of done) for (const [name, d] of Object.entries(t.distributions)) dists.set(name, d)
  const names = [...dists.keys()].sort((a, b) => rankOf(importanceOrder, a) - rankOf(importanceOrder, b) || cmp(a, b))
  const axes: ParallelAxis[] = names
    .slice(0, MAX_PARALLEL_PARAMS)
    .map((name) => axisOf(name, dists.get(name)!, done))
    .filter((a): a is ParallelAxis => a !== undefined)
  if (axes.length === 0) return undefined
  const values = done.map((t) => t.values![0])
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const objective: ParallelAxis = { name: metricName, kind: 'numeric', low: lo, high: hi, log: false }
  const nTop = Math.max(1, Math.round(done.length * TOP_SHARE))
  return {
    axes: [...axes, objective],
    omitted: Math.max(0, names.length - MAX_PARALLEL_PARAMS),
    direction,
    lines: done.map((t, rank) => ({
      number: t.number,
      value: t.values![0],
      group: infeasible(t) ? 'rest' : rank === 0 ? 'best' : rank < nTop ? 'top' : 'rest',
      baseline: t.number === baselineNumber,
      positions: [...axes.map((a) => position(a, t.params[a.name])), position(objective, t.values![0])],
    })),
  }
}

const rankOf = (order: readonly string[], name: string) => {
  const i = order.indexOf(name)
  return i < 0 ? order.length : i
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The axis of one parameter: its declared range (numbers) or choices (categoricals). */
function axisOf(name: string, d: Distribution, done: readonly FrozenTrial[]): ParallelAxis | undefined {
  if (d.kind === 'categorical') return { name, kind: 'categorical', choices: d.choices.map((c) => String(c)) }
  // Trials from an older, wider space may lie outside the latest range: the axis covers them too.
  const seen = done.map((t) => t.params[name]).filter((v): v is number => typeof v === 'number')
  const low = Math.min(d.low, ...seen)
  const high = Math.max(d.high, ...seen)
  return { name, kind: 'numeric', low, high, log: d.log === true && low > 0 }
}

/** Where a value sits along an axis, in [0, 1]; null when missing or not on the axis. */
export function position(a: ParallelAxis, v: ParamValue | undefined): number | null {
  if (v === undefined) return null
  if (a.kind === 'categorical') {
    const i = a.choices.indexOf(String(v))
    if (i < 0) return null
    return a.choices.length === 1 ? 0.5 : i / (a.choices.length - 1)
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null
  if (a.high === a.low) return 0.5
  const t = a.log
    ? (Math.log(v) - Math.log(a.low)) / (Math.log(a.high) - Math.log(a.low))
    : (v - a.low) / (a.high - a.low)
  return Math.min(1, Math.max(0, t))
}
