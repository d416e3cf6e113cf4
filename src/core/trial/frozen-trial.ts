import { isInfeasibleResult } from '../analysis/pareto.ts'
import type { Distribution, ParamValues } from '../distributions/distribution.ts'
import type { Json } from '../json.ts'
import type { TrialState } from './trial-state.ts'

/** Global trial id (unique across studies in one storage). */
export type TrialId = number & { readonly __brand: 'TrialId' }

/** Study id within one storage. */
export type StudyId = number & { readonly __brand: 'StudyId' }

/** One intermediate report of the objective metric, e.g. eval loss at a training step. */
export interface IntermediateValue {
  readonly step: number
  readonly value: number
}

/**
 * An immutable snapshot of a trial as stored. `number` is the per-study counter users see (0, 1, 2, …);
 * `id` is the storage-wide id. `version` is the study version of the trial's last change.
 */
export interface FrozenTrial {
  readonly id: TrialId
  readonly studyId: StudyId
  readonly number: number
  readonly state: TrialState
  readonly params: ParamValues
  readonly distributions: Readonly<Record<string, Distribution>>
  /** Objective values, one per direction; null until the trial is COMPLETE. */
  readonly values: readonly number[] | null
  /** Intermediate values of the first objective, sorted by step, one per step. */
  readonly intermediate: readonly IntermediateValue[]
  readonly userAttrs: Readonly<Record<string, Json>>
  /** Attributes Winnow itself keeps: costs, exit info, checkpoint path, constraint values, … */
  readonly systemAttrs: Readonly<Record<string, Json>>
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly startedAt: number | null
  readonly finishedAt: number | null
  readonly heartbeatAt: number | null
  readonly version: number
}

/** Optimization direction of one objective. */
export type Direction = 'minimize' | 'maximize'

/**
 * When a trial last showed that its worker is alive (epoch ms): its last heartbeat, else its start, else its
 * creation. A RUNNING trial silent for longer than the stale limit belongs to a dead worker.
 */
export function lastSignOfLife(t: Pick<FrozenTrial, 'heartbeatAt' | 'startedAt' | 'createdAt'>): number {
  return t.heartbeatAt ?? t.startedAt ?? t.createdAt
}

/** The last intermediate value of a trial, if any. */
export function lastIntermediate(t: FrozenTrial): IntermediateValue | undefined {
  return t.intermediate.length > 0 ? t.intermediate[t.intermediate.length - 1] : undefined
}

/** The intermediate value reported at exactly `step`, if any. */
export function intermediateAt(t: FrozenTrial, step: number): number | undefined {
  // Intermediate values are sorted by step; a linear scan is fine for the few hundred evaluations of a run.
  for (const iv of t.intermediate) if (iv.step === step) return iv.value
  return undefined
}

/**
 * Trials ordered by number or by their first objective's value, ascending or descending (best first is `asc` when
 * minimizing); trials without a value come last either way, in number order. The dashboard's trials table and
 * `winnow trials --sort` share it, so both list the same order.
 */
export function sortTrials(
  trials: readonly FrozenTrial[],
  sort: 'number' | 'value',
  dir: 'asc' | 'desc',
): FrozenTrial[] {
  const sign = dir === 'asc' ? 1 : -1
  const sorted = [...trials]
  if (sort === 'number') return sorted.sort((a, b) => sign * (a.number - b.number))
  // An infeasible result is never the best: it ranks after every feasible one, whatever its value.
  const infeasible = (t: FrozenTrial) => (isInfeasibleResult(t) ? 1 : 0)
  return sorted.sort((a, b) => {
    const x = a.values?.[0]
    const y = b.values?.[0]
    if (x === undefined || y === undefined) return x === y ? a.number - b.number : x === undefined ? 1 : -1
    return infeasible(a) - infeasible(b) || sign * (x - y) || a.number - b.number
  })
}

/**
 * A queued configuration withdrawn before it ran (PRUNED with `notRun`, see cli/withdraw-queued.ts): never trained,
 * so no result, no sample for a sampler, and no trial against a budget.
 */
export function isWithdrawn(t: FrozenTrial): boolean {
  return t.systemAttrs.notRun === true
}

/** A human label for messages: `#12 of study "lora"`. */
export function trialLabel(t: Pick<FrozenTrial, 'number'>, studyName?: string): string {
  return studyName === undefined ? `#${t.number}` : `#${t.number} of study "${studyName}"`
}

/** Why a trial stopped, in plain words: the prune reason, the failure (exit code or signal and the last log line), an early stop or an interruption. */
export function reasonOf(t: FrozenTrial): string | undefined {
  const a = t.systemAttrs
  const text = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined)
  // Attributes of an earlier attempt stay on the trial (an interruption before it completed on the next run), so
  // only the ones that explain the trial's present state count.
  switch (t.state) {
    case 'COMPLETE':
      return text('infeasibleReason') ?? text('stoppedEarly')
    case 'PRUNED':
      return text('pruneReason')
    case 'FAIL':
      return text('failReason') ?? text('failure') ?? text('interrupted')
    case 'WAITING':
      return text('interrupted')
    case 'PAUSED': {
      // Its stop: the rung it waits at for a promotion (and, if the runner had to end it, why).
      const rung = typeof a.rung === 'number' ? `paused at rung ${a.rung}` : 'paused'
      const exit = a.exit as { killedBecause?: unknown } | undefined
      return typeof exit?.killedBecause === 'string' ? `${rung} (${exit.killedBecause})` : rung
    }
    default:
      return undefined
  }
}
