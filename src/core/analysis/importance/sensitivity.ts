import type { ParamValue, ParamValues } from '../../distributions/distribution.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'

/** One point of a sensitivity plot: the parameter's value and the objective of the trial. */
export interface SensitivityPoint {
  readonly value: ParamValue
  readonly objective: number
  readonly trial: number
  /** True when every parameter equals the baseline (the point appears under every parameter). */
  readonly isBaseline: boolean
}

/** The one-at-a-time sensitivity of one parameter. */
export interface SensitivityResult {
  readonly param: string
  /** The baseline and the trials that change only this parameter, ordered by value (numbers) or trial. */
  readonly points: readonly SensitivityPoint[]
  /** max − min of the objective over `points` (0 with fewer than two points). */
  readonly range: number
}

const same = (a: ParamValue | undefined, b: ParamValue): boolean =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))

/**
 * For each parameter of `baseline`, the COMPLETE trials that differ from the baseline in that parameter only
 * (plus the baseline's own trials), as (value, objective) points for a sensitivity plot, and the range of the
 * objective they span. Sorted by range, largest first: the parameters the objective is most sensitive to around
 * the baseline. Made for the trials of an `OfatSampler` sweep, but works on any history.
 */
export function sensitivity(
  trials: readonly FrozenTrial[],
  baseline: ParamValues,
  opts: { objective?: number } = {},
): SensitivityResult[] {
  const names = Object.keys(baseline)
  const k = opts.objective ?? 0
  const done = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && Number.isFinite(t.values[k]))
  const out = names.map((param): SensitivityResult => {
    const points: SensitivityPoint[] = []
    for (const t of done) {
      const differing = names.filter((n) => !same(t.params[n], baseline[n]))
      if (differing.length > 1 || (differing.length === 1 && differing[0] !== param)) continue
      points.push({
        value: t.params[param],
        objective: t.values![k],
        trial: t.number,
        isBaseline: differing.length === 0,
      })
    }
    points.sort((a, b) =>
      typeof a.value === 'number' && typeof b.value === 'number'
        ? a.value - b.value || a.trial - b.trial
        : a.trial - b.trial,
    )
    const ys = points.map((p) => p.objective)
    return { param, points, range: ys.length < 2 ? 0 : Math.max(...ys) - Math.min(...ys) }
  })
  return out.sort((a, b) => b.range - a.range || (a.param < b.param ? -1 : 1))
}
