import { type Direction, type FrozenTrial, reasonOf } from '../trial/frozen-trial.ts'
import { isInfeasibleResult } from './pareto.ts'

/** The study's baseline trial (enqueued first with `systemAttrs.baseline = true`), if any. */
export function findBaseline(trials: readonly FrozenTrial[]): FrozenTrial | undefined {
  // The first baseline trial that completed; else the first one (a baseline that failed is re-run when the study
  // continues, and the re-run is then the reference).
  const baselines = trials.filter((t) => t.systemAttrs.baseline === true)
  return baselines.find((t) => t.state === 'COMPLETE') ?? baselines[0]
}

/**
 * Relative improvement of `value` over `baseline` in the objective's direction: 0.25 means 25 % better
 * (lower loss for minimize, higher for maximize); negative means worse. Undefined when the baseline is 0.
 */
export function gainOver(baseline: number, value: number, direction: Direction): number | undefined {
  if (baseline === 0 || !Number.isFinite(baseline) || !Number.isFinite(value)) return undefined
  const diff = direction === 'minimize' ? baseline - value : value - baseline
  return diff / Math.abs(baseline)
}

/**
 * What a reader must know before trusting a gain over this baseline, in plain words; undefined when nothing. A
 * baseline that broke a constraint is a configuration the user could not run (the gain flatters the best); one
 * whose value is 0 has no relative gain at all.
 */
export function baselineCaveat(baseline: FrozenTrial | undefined): string | undefined {
  if (baseline === undefined || baseline.state !== 'COMPLETE') return undefined
  if (isInfeasibleResult(baseline)) {
    const why = reasonOf(baseline)?.replace(/^infeasible: /, '')
    const what = (baseline.values?.length ?? 1) > 1 ? 'comparing with it compares' : 'the gain compares'
    return `The baseline #${baseline.number} breaks a constraint${why ? ` (${why})` : ''}: ${what} with a configuration you could not use.`
  }
  // Several objectives show no single gain.
  if (baseline.values?.length === 1 && baseline.values[0] === 0)
    return `The baseline #${baseline.number} has the value 0, so there is no relative gain to show.`
  return undefined
}
