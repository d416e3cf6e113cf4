import { WinnowError } from '../errors.ts'
import type { StudyInfo } from '../storage.ts'
import type { Direction, StudyId } from '../trial/frozen-trial.ts'
import type { FinishedState } from '../trial/trial-state.ts'
import type { ObjectiveResult } from './optimize.ts'

/** What `Study.create` with `loadIfExists` asks of an existing study. */
export interface RequestedSetup {
  readonly directions?: readonly Direction[]
  readonly metricNames?: readonly string[]
}

/** A loaded study must be the one the caller describes: a different objective would silently optimise the wrong way. */
export function checkLoadedSetup(info: StudyInfo, opts: RequestedSetup): void {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])
  const differs: string[] = []
  if (opts.directions !== undefined && !same(opts.directions, info.directions))
    differs.push(`directions [${opts.directions.join(', ')}] (stored: [${info.directions.join(', ')}])`)
  if (opts.metricNames !== undefined && !same(opts.metricNames, info.metricNames))
    differs.push(`metric names [${opts.metricNames.join(', ')}] (stored: [${info.metricNames.join(', ')}])`)
  if (differs.length > 0)
    throw new WinnowError(
      'invalid_config',
      `Study "${info.name}" exists with other objectives: this call asks for ${differs.join(' and ')}. Use another study name, or the stored objectives.`,
    )
}

/**
 * A tell must finish a trial of this study, and a PRUNED / FAIL trial takes no value: the first would write into
 * another study's results, the second would drop the value silently.
 */
export function checkTell(
  info: StudyInfo,
  t: {
    label: string
    studyId: StudyId
    state: FinishedState
    values: ObjectiveResult | undefined
    constraints?: readonly unknown[]
  },
): void {
  if (t.studyId !== info.id)
    throw new WinnowError(
      'invalid_value',
      `Trial ${t.label} belongs to another study, not "${info.name}". Tell it on the study that asked it.`,
    )
  if (t.state !== 'COMPLETE' && t.values !== undefined)
    throw new WinnowError(
      'invalid_value',
      `A ${t.state} trial takes no objective value, but trial ${t.label} got ${JSON.stringify(t.values)}. Report it with trial.report(step, value) before telling ${t.state}, or tell it COMPLETE.`,
    )
  if (
    t.constraints !== undefined &&
    (!Array.isArray(t.constraints) || t.constraints.some((c) => typeof c !== 'number'))
  )
    throw new WinnowError(
      'invalid_value',
      `Constraints of trial ${t.label} must be numbers (feasible when <= 0, NaN when unknown), but got ${JSON.stringify(t.constraints)}.`,
    )
}
