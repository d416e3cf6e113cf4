import { baselineCaveat, findBaseline, gainOver } from '../core/analysis/baseline.ts'
import { bestTrial, isInfeasibleResult, paretoFront } from '../core/analysis/pareto.ts'
import type { StudyInfo } from '../core/storage.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import { TRIAL_STATES, type TrialState } from '../core/trial/trial-state.ts'

/** A trial reduced to what a listing shows. */
export interface TrialRef {
  readonly number: number
  readonly state: TrialState
  readonly values: readonly number[] | null
}

/** One study at a glance: what the study list and `/api/studies` show. */
export interface StudyDigest {
  readonly name: string
  readonly directions: readonly Direction[]
  readonly metricNames: readonly string[]
  readonly createdAt: number
  /** The study version this digest was read at; `/api/studies/:name/trials?since=` takes it. */
  readonly version: number
  readonly counts: Readonly<Record<TrialState, number>>
  readonly total: number
  /** COMPLETE trials that break a constraint (counted in `counts.COMPLETE` too). */
  readonly infeasible: number
  /** The best COMPLETE trial that meets the constraints (single objective), else null. */
  readonly best: TrialRef | null
  /** Size of the Pareto front (several objectives), else null. */
  readonly paretoSize: number | null
  /** The enqueued baseline trial, if any. */
  readonly baseline: TrialRef | null
  /** Relative improvement of the best over the baseline in the objective's direction (0.1 = 10 % better). */
  readonly gain: number | null
  /** What to know before trusting that gain (a baseline that broke a constraint; see `baselineCaveat`), else null. */
  readonly baselineCaveat: string | null
  /** Epoch ms of the latest trial event (created, started, heartbeat, finished); null without trials. */
  readonly lastActivity: number | null
}

/** Summarises a study and its trials (pure). */
export function digestStudy(info: StudyInfo, trials: readonly FrozenTrial[], version: number): StudyDigest {
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>
  let lastActivity: number | null = null
  let infeasible = 0
  for (const t of trials) {
    counts[t.state]++
    if (isInfeasibleResult(t)) infeasible++
    const at = Math.max(t.createdAt, t.startedAt ?? 0, t.heartbeatAt ?? 0, t.finishedAt ?? 0)
    if (lastActivity === null || at > lastActivity) lastActivity = at
  }
  const single = info.directions.length === 1
  const best = single ? bestTrial(trials, info.directions[0]) : undefined
  const baseline = findBaseline(trials)
  const b = baseline?.values?.[0]
  const v = best?.values?.[0]
  const gain = single && b !== undefined && v !== undefined ? gainOver(b, v, info.directions[0]) : undefined
  return {
    name: info.name,
    directions: info.directions,
    metricNames: info.metricNames,
    createdAt: info.createdAt,
    version,
    counts,
    total: trials.length,
    infeasible,
    best: best ? ref(best) : null,
    paretoSize: single ? null : paretoFront(trials, info.directions).length,
    baseline: baseline ? ref(baseline) : null,
    gain: gain ?? null,
    baselineCaveat: baselineCaveat(baseline) ?? null,
    lastActivity,
  }
}

function ref(t: FrozenTrial): TrialRef {
  return { number: t.number, state: t.state, values: t.values }
}
