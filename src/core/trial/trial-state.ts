import { TrialStateError } from '../errors.ts'

/**
 * The life of a trial:
 *
 * ```
 * WAITING ──claim──> RUNNING ──> COMPLETE | PRUNED | FAIL
 *    ^  └──> PRUNED     │  └──> PAUSED ──> WAITING (promoted / resumed) | PRUNED | COMPLETE
 *    └──── requeue ─────┘  (stale heartbeat, retry)
 * ```
 * WAITING → PRUNED withdraws a queued configuration that never ran (its space no longer allows it).
 * COMPLETE, PRUNED and FAIL are final: a finished trial never changes again.
 */
export type TrialState = 'WAITING' | 'RUNNING' | 'PAUSED' | 'COMPLETE' | 'PRUNED' | 'FAIL'

/** States in which a trial is done for good. */
export type FinishedState = 'COMPLETE' | 'PRUNED' | 'FAIL'

export const TRIAL_STATES: readonly TrialState[] = ['WAITING', 'RUNNING', 'PAUSED', 'COMPLETE', 'PRUNED', 'FAIL']

const allowed: Record<TrialState, readonly TrialState[]> = {
  WAITING: ['RUNNING', 'PRUNED'],
  RUNNING: ['COMPLETE', 'PRUNED', 'FAIL', 'PAUSED', 'WAITING'],
  PAUSED: ['WAITING', 'PRUNED', 'COMPLETE'],
  COMPLETE: [],
  PRUNED: [],
  FAIL: [],
}

/** True for COMPLETE, PRUNED and FAIL. */
export function isFinished(state: TrialState): state is FinishedState {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL'
}

/** Whether the state machine allows `from → to`. */
export function canTransition(from: TrialState, to: TrialState): boolean {
  return allowed[from].includes(to)
}

/** Throws a TrialStateError naming the trial when `from → to` is not allowed. */
export function assertTransition(trialLabel: string, from: TrialState, to: TrialState): void {
  if (canTransition(from, to)) return
  const hint = isFinished(from)
    ? 'Finished trials are immutable; ask for a new trial instead.'
    : `From ${from} a trial may go to ${allowed[from].join(', ')}.`
  throw new TrialStateError(`Trial ${trialLabel} is ${from} and cannot become ${to}. ${hint}`)
}
