import type { Distribution, ParamValues } from '../core/distributions/distribution.ts'
import { sameDistribution } from '../core/distributions/distribution.ts'
import { TrialStateError, WinnowError } from '../core/errors.ts'
import type { NewStudy, StateChange } from '../core/storage.ts'
import type { Direction, TrialId } from '../core/trial/frozen-trial.ts'
import { assertTransition, isFinished, TRIAL_STATES, type TrialState } from '../core/trial/trial-state.ts'

// The checks every Storage implementation runs inside its write transaction, written once so the memory
// and SQL backends refuse exactly the same things with exactly the same messages.

/** The error `getTrial` and every trial write raise for an unknown trial id. */
export function trialNotFound(id: TrialId | number): WinnowError {
  return new WinnowError(
    'trial_not_found',
    `Trial id ${id} does not exist in this storage. Trial ids are storage-wide; list a study's trials to find them.`,
  )
}

/** Throws when a new study's directions or metric names are unusable. */
export function validateNewStudy(spec: NewStudy): readonly string[] {
  if (spec.name.trim() === '')
    throw new WinnowError('invalid_config', 'A study name must not be empty. Give the study a name such as "lora-sft".')
  if (spec.directions.length === 0)
    throw new WinnowError(
      'invalid_config',
      `Study "${spec.name}" has no direction. Give at least one, e.g. ['minimize'].`,
    )
  for (const d of spec.directions)
    if (d !== 'minimize' && d !== 'maximize')
      throw new WinnowError(
        'invalid_config',
        `Study "${spec.name}" has direction "${d}". Use "minimize" or "maximize".`,
      )
  const names =
    spec.metricNames ?? (spec.directions.length === 1 ? ['value'] : spec.directions.map((_, i) => `value${i}`))
  if (names.length !== spec.directions.length)
    throw new WinnowError(
      'invalid_config',
      `Study "${spec.name}" has ${spec.directions.length} directions but ${names.length} metric names. Give one name per direction.`,
    )
  return names
}

/**
 * Checks a state change of trial `label` from `from` to `to` and returns the values to store.
 * Runs the state machine, the compare-and-set, and the COMPLETE-needs-values rule.
 */
export function checkStateChange(
  label: string,
  from: TrialState,
  to: TrialState,
  change: StateChange | undefined,
  directions: readonly Direction[],
): number[] | null {
  if (change?.expectedState !== undefined && change.expectedState !== from)
    throw new TrialStateError(
      `Trial ${label} is ${from}, not ${change.expectedState} as expected, so it was not moved to ${to}. Another worker changed it first; re-read the trial.`,
    )
  assertTransition(label, from, to)
  const values = change?.values
  if (to !== 'COMPLETE') {
    if (values !== undefined)
      throw new WinnowError(
        'invalid_value',
        `Trial ${label} got values ${JSON.stringify(values)} while becoming ${to}. Only COMPLETE trials have values; leave them out.`,
      )
    return null
  }
  if (values === undefined || values.length !== directions.length)
    throw new WinnowError(
      'invalid_value',
      `Trial ${label} needs ${directions.length} value(s) (one per direction) to become COMPLETE, but got ${values === undefined ? 'none' : values.length}. Pass one value per objective.`,
    )
  if (values.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    throw new WinnowError(
      'invalid_value',
      `Trial ${label} cannot become COMPLETE with non-finite values ${JSON.stringify(values.map(String))}. Mark it FAIL instead.`,
    )
  return [...values]
}

/** Throws a TrialStateError when a finished trial is about to be changed by `action`. */
export function assertUnfinished(label: string, state: TrialState, action: string): void {
  if (isFinished(state))
    throw new TrialStateError(
      `Trial ${label} is ${state} and cannot ${action}. Finished trials are immutable; ask for a new trial.`,
    )
}

/**
 * Merges new parameters into a trial's parameters. Setting a parameter again to the same value and
 * distribution is a no-op; to a different one it is an error. Returns only the entries that are new.
 */
export function newParams(
  label: string,
  current: ParamValues,
  currentDists: Readonly<Record<string, Distribution>>,
  params: ParamValues,
  distributions: Readonly<Record<string, Distribution>>,
): { params: Record<string, ParamValues[string]>; distributions: Record<string, Distribution> } {
  const out = { params: {} as Record<string, ParamValues[string]>, distributions: {} as Record<string, Distribution> }
  for (const [name, value] of Object.entries(params)) {
    const d = distributions[name]
    if (d === undefined)
      throw new WinnowError(
        'invalid_value',
        `Parameter "${name}" of trial ${label} has a value but no distribution. Pass a distribution for every parameter.`,
      )
    if (Object.hasOwn(current, name)) {
      const oldD = currentDists[name]
      if (current[name] !== value || (oldD !== undefined && !sameDistribution(oldD, d)))
        throw new WinnowError(
          'invalid_value',
          `Parameter "${name}" of trial ${label} is already ${JSON.stringify(current[name])} and cannot be set to ${JSON.stringify(value)}. A trial's parameters are fixed once set.`,
        )
      continue
    }
    out.params[name] = value
    out.distributions[name] = d
  }
  return out
}

/** Zero counts for every trial state. */
export function emptyCounts(): Record<TrialState, number> {
  return Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>
}

/** Freezes an object graph in place and returns it (snapshots handed to callers cannot be mutated). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** A deep copy of JSON-like data (attributes, params, distributions) so stored state never aliases input. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : structuredClone(value)
}
