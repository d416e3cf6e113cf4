import type { SearchSpace } from '../core/distributions/distribution.ts'
import { SamplerExhaustedError, TrialStateError } from '../core/errors.ts'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { BudgetTracker } from './budget.ts'

/**
 * Trials that resume earlier work (recovered, requeued, promoted, retries, PBT's replacements): they run even
 * past the trial budget.
 */
export function isContinuation(t: FrozenTrial): boolean {
  return t.startedAt !== null || t.systemAttrs.retryOf !== undefined || t.systemAttrs.pbt !== undefined
}

/**
 * A PBT replacement is released to the queue only once its copy of the donor's checkpoint is in place; one without
 * a checkpoint was recovered from a worker that died in between.
 */
export function isOrphanedReplacement(t: FrozenTrial): boolean {
  return t.systemAttrs.pbt !== undefined && typeof t.systemAttrs.checkpoint !== 'string'
}

/**
 * Picks the next trial to run. First the scheduler's promotions: one paused trial is moved back to WAITING
 * with its new target (compare-and-set from PAUSED, so two workers never promote the same trial). Then
 * `study.ask()` claims the oldest WAITING trial (baseline, retry, promotion, recovered) or, within the trial
 * budget, creates a new one; `suggest` fills its parameters (values already set are kept).
 */
export async function nextTrial(
  study: Study,
  budget: BudgetTracker,
  exhausted: boolean,
  suggest: (trial: Trial) => void,
  declared?: SearchSpace,
): Promise<{ trial?: Trial; exhausted: boolean }> {
  const ctx = await study.schedulingContext()
  for (const p of study.scheduler.promotions?.(ctx) ?? []) {
    try {
      await study.storage.setTrialState(p.trialId, 'WAITING', {
        expectedState: 'PAUSED',
        systemAttrs: { target: p.target },
      })
      break // one at a time: the rest are offered again when the next slot frees
    } catch (e) {
      if (!(e instanceof TrialStateError)) throw e // another worker promoted it first
    }
  }
  const trials = await study.trials()
  const continuation = trials.some((t) => t.state === 'WAITING' && isContinuation(t))
  if (!continuation && (exhausted || budget.trialsLeft(trials) <= 0)) return { exhausted }
  let trial: Trial
  try {
    trial = await study.ask(undefined, declared === undefined ? {} : { declared })
  } catch (e) {
    if (e instanceof SamplerExhaustedError) return { exhausted: true }
    throw e
  }
  if (isOrphanedReplacement(trial.frozen)) {
    await study.tell(trial, undefined, {
      state: 'FAIL',
      systemAttrs: {
        failure: 'pbt',
        failReason:
          'PBT replacement without its checkpoint copy (the worker that made it stopped before handing it over); not trained from scratch under a lineage that says otherwise',
      },
    })
    return nextTrial(study, budget, exhausted, suggest, declared)
  }
  try {
    suggest(trial)
    await trial.flush()
  } catch (e) {
    await study.tell(trial, undefined, { state: 'FAIL', systemAttrs: { failReason: String(e) } })
    throw e
  }
  return { trial, exhausted }
}
