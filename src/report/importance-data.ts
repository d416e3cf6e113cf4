import { fanovaImportance, sensitivity } from '../core/analysis/importance/index.ts'
import { WinnowError } from '../core/errors.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { ImportanceResult, Sensitivity, SliceParam } from './report-data.ts'

/** Below this many COMPLETE trials the importance ranking gets a caution note. */
const FEW_TRIALS = 10

/**
 * Parameter importance for the report: fANOVA on a seeded random forest over the COMPLETE trials. When it cannot
 * run (too few complete trials), the result carries the reason as a note instead of entries.
 */
export function importanceFor(trials: readonly FrozenTrial[], direction: Direction): ImportanceResult {
  const complete = trials.filter((t) => t.state === 'COMPLETE').length
  try {
    const entries = fanovaImportance(trials, { direction, seed: 0 })
    const note =
      complete === 0
        ? 'No trial has completed yet, so there is no importance to rank.'
        : entries.length === 0
          ? 'No parameter varies across the complete trials, so there is no importance to rank.'
          : complete < FEW_TRIALS
            ? `Based on only ${complete} complete trials (pruned trials do not count), so treat the ranking as rough.`
            : undefined
    return { method: 'fANOVA (random forest, seed 0)', entries, ...(note ? { note } : {}) }
  } catch (e) {
    if (!(e instanceof WinnowError)) throw e
    return { entries: [], note: `Parameter importance is not available: ${e.message}` }
  }
}

/**
 * Sensitivity: for a one-at-a-time (OFAT) study, each parameter's sweep around the baseline (the trials that change
 * only that parameter), most sensitive first; otherwise the slice plots as given, in importance order.
 */
export function sensitivityFor(
  trials: readonly FrozenTrial[],
  slices: readonly SliceParam[],
  ofat: boolean,
): Sensitivity {
  const baseline = trials.find((t) => t.systemAttrs.baseline === true)
  if (!ofat || baseline === undefined) return { kind: 'slice', params: slices }
  const byName = new Map(slices.map((s) => [s.name, s]))
  const params: SliceParam[] = []
  for (const r of sensitivity(trials, baseline.params)) {
    const slice = byName.get(r.param)
    if (!slice) continue
    const keep = new Set(r.points.map((p) => p.trial))
    params.push({ ...slice, points: slice.points.filter((p) => keep.has(p.number)) })
  }
  return {
    kind: 'ofat',
    note: 'One-at-a-time sweeps: each plot shows the baseline and the complete trials that change only that parameter, the parameters the objective is most sensitive to first.',
    params,
  }
}
