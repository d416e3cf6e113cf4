import { WinnowError } from '../errors.ts'
import { describeValue } from '../option-names.ts'
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
 * another study's results, the second would drop the value silently. Values and constraints must be numbers (plain
 * JavaScript can pass a metric still in text, or a lone constraint), named as such instead of failing further on.
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
  const isNumbers = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number')
  // Without this a string is counted by its characters ("has 1 objective(s) but trial got 18 value(s)").
  if (t.values !== undefined && typeof t.values !== 'number' && !isNumbers(t.values))
    throw new WinnowError(
      'invalid_value',
      `The value of trial ${t.label} must be a number or an array of numbers (one per objective), but got ${describeValue(t.values)}. ${hasString(t.values) ? 'Convert a metric read as text first, e.g. Number(text).' : 'Return the objective value itself, e.g. return loss or return [loss, latency].'}`,
    )
  if (t.constraints !== undefined && !Array.isArray(t.constraints))
    throw new WinnowError(
      'invalid_value',
      `Constraints of trial ${t.label} must be an array of numbers, one per constraint (feasible when <= 0), but got ${describeValue(t.constraints)}. Wrap a single constraint in an array: constraints: ${JSON.stringify([t.constraints])}.`,
    )
  if (t.constraints?.some((c) => typeof c !== 'number'))
    throw new WinnowError(
      'invalid_value',
      `Constraints of trial ${t.label} must be numbers (feasible when <= 0, NaN when unknown), but got ${JSON.stringify(t.constraints)}.`,
    )
}

/** A string, or an array holding one: a metric read from a log or a file, not converted. */
function hasString(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.some((x) => typeof x === 'string'))
}

/** `constraint 1 is 0.5 > 0, constraint 3 is NaN (not checked)` for the broken ones; undefined when all hold. */
export function brokenConstraints(values: readonly number[]): string | undefined {
  const broken = values.flatMap((v, i) =>
    Number.isNaN(v) ? [`constraint ${i + 1} is NaN (not checked)`] : v > 0 ? [`constraint ${i + 1} is ${v} > 0`] : [],
  )
  return broken.length > 0 ? `infeasible: ${broken.join(', ')}` : undefined
}
