import type { Json } from '../json.ts'
import type { StudyInfo } from '../storage.ts'
import type { Direction, FrozenTrial, StudyId, TrialId } from '../trial/frozen-trial.ts'
import type { TrialState } from '../trial/trial-state.ts'
import type { SchedulingContext } from './scheduler.ts'

/** Test fixtures for scheduler tests: hand-built trials and contexts (no storage needed). */
export interface FixtureTrial {
  number: number
  state?: TrialState
  /** Values at steps 1, 2, 3, … (or `[step, value]` pairs). */
  curve?: readonly (number | readonly [number, number])[]
  value?: number
  systemAttrs?: Record<string, Json>
  params?: Record<string, number | string>
}

/** A FrozenTrial from a compact description; ids equal numbers + 1000. */
export function fixtureTrial(f: FixtureTrial): FrozenTrial {
  const intermediate = (f.curve ?? []).map((x, i) =>
    typeof x === 'number' ? { step: i + 1, value: x } : { step: x[0], value: x[1] },
  )
  const state = f.state ?? 'RUNNING'
  return {
    id: (f.number + 1000) as TrialId,
    studyId: 1 as StudyId,
    number: f.number,
    state,
    params: f.params ?? {},
    distributions: {},
    values: state === 'COMPLETE' ? [f.value ?? intermediate[intermediate.length - 1]?.value ?? 0] : null,
    intermediate,
    userAttrs: {},
    systemAttrs: f.systemAttrs ?? {},
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    heartbeatAt: null,
    version: 0,
  }
}

/** A scheduling context over trials for a single-objective study. */
export function fixtureContext(trials: readonly FrozenTrial[], direction: Direction = 'minimize'): SchedulingContext {
  const study: StudyInfo = {
    id: 1 as StudyId,
    name: 'fixture',
    directions: [direction],
    metricNames: ['value'],
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
  }
  return { study, history: trials }
}

/** A curve of `length` reports, all equal to `value`. */
export function flat(value: number, length: number): number[] {
  return Array.from({ length }, () => value)
}
