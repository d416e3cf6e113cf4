import { hypervolumeOf } from '../core/analysis/hypervolume.ts'
import { isFeasible, isInfeasibleResult, paretoFront } from '../core/analysis/pareto.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { ParetoData } from './report-data.ts'

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
