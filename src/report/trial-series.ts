import { isInfeasibleResult } from '../core/analysis/pareto.ts'
import { rankTransferBetween, rankTransferPairs, rankTransferToHighest } from '../core/analysis/rank-transfer.ts'
import { toInternal } from '../core/distributions/distribution.ts'
import { type FrozenTrial, reasonOf } from '../core/trial/frozen-trial.ts'
import type { Curve, HistoryPoint, RankTransferData, SliceParam } from './report-data.ts'

/** The value a trial shows on history and slice plots: its final value, else its last intermediate value. */
export function shownValue(t: FrozenTrial): number | undefined {
  if (t.state === 'COMPLETE' && t.values) return t.values[0]
  return t.intermediate.at(-1)?.value
}

/** One history point per trial that has a value (finished or with reports), by trial number. */
export function historyOf(trials: readonly FrozenTrial[], bestNumber?: number): HistoryPoint[] {
  const out: HistoryPoint[] = []
  for (const t of trials) {
    const value = shownValue(t)
    if (value === undefined || !Number.isFinite(value)) continue
    const reason = reasonOf(t)
    out.push({
      number: t.number,
      state: t.state,
      value,
      baseline: t.systemAttrs.baseline === true,
      best: t.number === bestNumber,
      params: t.params,
      ...(reason !== undefined ? { reason } : {}),
      ...(isInfeasibleResult(t) ? { infeasible: true } : {}),
    })
  }
  return out
}

/** The learning curve of every trial that reported intermediate values. */
export function curvesOf(trials: readonly FrozenTrial[], bestNumber?: number): Curve[] {
  return trials
    .filter((t) => t.intermediate.length > 0)
    .map((t) => ({
      number: t.number,
      state: t.state,
      best: t.number === bestNumber,
      baseline: t.systemAttrs.baseline === true,
      points: t.intermediate.filter((iv) => Number.isFinite(iv.value)).map((iv) => [iv.step, iv.value] as const),
    }))
}

/**
 * Slice data: each parameter's value (x; categorical choices become indices) against the trial's shown value,
 * for the parameters in `order` (the others follow by name).
 */
export function slicesOf(trials: readonly FrozenTrial[], order: readonly string[], bestNumber?: number): SliceParam[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.distributions)))]
  names.sort((a, b) => rankIn(order, a) - rankIn(order, b) || a.localeCompare(b))
  const baseline = trials.find((t) => t.systemAttrs.baseline === true)
  return names.map((name) => {
    const dist = trials.find((t) => t.distributions[name])!.distributions[name]
    const categories = dist.kind === 'categorical' ? dist.choices.map((c) => String(c)) : undefined
    const xOf = (t: FrozenTrial): number | undefined => {
      const v = t.params[name]
      if (v === undefined) return undefined
      if (categories) return categories.indexOf(String(v))
      return typeof v === 'number' ? v : toInternal(dist, v)
    }
    const points = []
    for (const t of trials) {
      const x = xOf(t)
      const y = shownValue(t)
      if (x === undefined || (x < 0 && categories) || y === undefined || !Number.isFinite(y)) continue
      points.push({
        x,
        y,
        number: t.number,
        state: t.state,
        best: t.number === bestNumber,
        baseline: t.systemAttrs.baseline === true,
      })
    }
    const bx = baseline ? xOf(baseline) : undefined
    return {
      name,
      log: dist.kind !== 'categorical' && dist.log,
      ...(categories ? { categories } : {}),
      points,
      ...(bx !== undefined && bx >= 0 ? { baselineX: bx } : {}),
    }
  })
}

function rankIn(order: readonly string[], name: string): number {
  const i = order.indexOf(name)
  return i < 0 ? Number.MAX_SAFE_INTEGER : i
}

/**
 * Rank transfer from the lowest resource to the highest one enough configurations reached (`rankTransferToHighest`,
 * the verdict `winnow status` prints too), the (low, high) value pairs it judged (each trial's first report at a
 * step >= low, and >= high), and the same check between consecutive rungs up to `full`, where more trials overlap
 * under aggressive pruning.
 */
export function rankTransferOf(
  trials: readonly FrozenTrial[],
  kind: string,
  low: number,
  full: number,
  rungs: readonly number[] = [],
): RankTransferData {
  const { high, result } = rankTransferToHighest(trials, low, full)
  // The scatter plots what has a place on its axes: diverged (non-finite) values are left out.
  const pairs = rankTransferPairs(trials, low, high).filter((p) => Number.isFinite(p.low) && Number.isFinite(p.high))
  // Only rungs the trials reported at: with reports at 0.1, 0.3, 1 and rungs 0.1, 0.3, 0.9 there is nothing at 0.9,
  // and "0.9 → 1" would compare the full-data reports with themselves.
  const reported = (r: number, next: number) =>
    trials.some((t) => t.intermediate.some((iv) => iv.step >= r && iv.step < next))
  const inner = rungs.filter((r) => r > low && r < full)
  const steps = [...inner.filter((r, i) => reported(r, inner[i + 1] ?? full)), full]
  const ladder = [low, ...steps].slice(0, -1).map((a, i) => ({
    low: a,
    high: steps[i],
    result: rankTransferBetween(trials, a, steps[i]),
  }))
  return { kind, low, high, result, pairs, ladder }
}
