import type { Direction, FrozenTrial } from '../trial/frozen-trial.ts'

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
