import { gainOver } from '../core/analysis/baseline.ts'
import { hypervolumeOf } from '../core/analysis/hypervolume.ts'
import { isFeasible, isInfeasibleResult, paretoFront } from '../core/analysis/pareto.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import { num, pct } from './format.ts'
import type { ParetoData, ReportData, TrialBrief } from './report-data.ts'

/**
 * The trade-off view of a multi-objective study: every feasible COMPLETE trial's objective values, which of them
 * form the Pareto front, and the front's hypervolume against the worst value seen per objective widened by a tenth
 * of its range (so it grows as the front improves; comparable between runs only with the same reference point,
 * which is reported).
 */
export function paretoOf(
  trials: readonly FrozenTrial[],
  directions: readonly Direction[],
  metricNames: readonly string[],
): ParetoData | undefined {
  if (directions.length < 2) return undefined
  const done = trials.filter(
    (t) => t.state === 'COMPLETE' && t.values !== null && t.values.every(Number.isFinite) && isFeasible(t),
  )
  if (done.length === 0) return undefined
  const front = new Set(paretoFront(done, directions).map((t) => t.number))
  // The worst value seen, a tenth of the range further, so the front's extreme points count too.
  const reference = directions.map((dir, i) => {
    const vs = done.map((t) => t.values![i])
    const lo = Math.min(...vs)
    const hi = Math.max(...vs)
    const margin = 0.1 * (hi - lo) || 0.1 * Math.abs(hi) || 1
    return dir === 'maximize' ? lo - margin : hi + margin
  })
  const frontValues = done.filter((t) => front.has(t.number)).map((t) => t.values!)
  return {
    objectives: directions.map((d, i) => ({ name: metricNames[i] ?? `objective ${i}`, direction: d })),
    points: done.map((t) => ({ number: t.number, values: [...t.values!], front: front.has(t.number) })),
    reference,
    hypervolume: hypervolumeOf(frontValues, reference, directions),
    infeasible: trials.filter(isInfeasibleResult).length,
  }
}

/** "4 of the 8 feasible complete trials are on the front (8 more broke a constraint)", for the report's texts. */
export function frontSummary(p: ParetoData): string {
  const front = p.points.filter((x) => x.front).length
  if (p.infeasible === 0) return `${front} of ${p.points.length} complete trials are on the front`
  return `${front} of the ${p.points.length} feasible complete trials are on the front (${p.infeasible} more broke a constraint)`
}

/**
 * The Pareto front as table rows for the report: the baseline first (when it has values and is not on the front
 * itself), then up to 20 front trials, each with its objective values and its gain over the baseline per objective
 * ("+20.6 %, −100.0 %": a trade-off reads as one gain and one loss).
 */
export function frontRows(d: ReportData): { head: string[]; rows: { trial: TrialBrief; cells: string[] }[] } {
  const { metricNames, directions } = d.study
  const base = d.baseline?.values ? d.baseline : undefined
  const gains = (t: TrialBrief) =>
    base === undefined || t.values === null
      ? '–'
      : directions.map((dir, i) => pct(gainOver(base.values![i], t.values![i], dir))).join(', ')
  const shown = d.best.slice(0, 20)
  const trials = base !== undefined && !shown.some((t) => t.number === base.number) ? [base, ...shown] : shown
  return {
    head: ['trial', ...metricNames, 'vs baseline'],
    rows: trials.map((t) => ({
      trial: t,
      cells: [
        `#${t.number}${t.number === base?.number ? ' (baseline)' : ''}`,
        ...metricNames.map((_, i) => num(t.values?.[i])),
        gains(t),
      ],
    })),
  }
}
