import { containsValue, type ParamValues, type SearchSpace } from '../core/distributions/distribution.ts'
import type { Study } from '../core/study/study.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { isContinuation } from '../runner/next-trial.ts'

/**
 * Withdraws the queued configurations of a continued study that its current space no longer allows (a space
 * narrowed by `winnow focus --continue` or edited in the study file: old grid or sweep points, configurations
 * enqueued by hand). Each would fail when claimed ("outside its distribution"), one per run, and nothing could take
 * it out of the queue. They become PRUNED with `notRun: true` and a reason, and count against no budget. Left
 * alone: the baseline (a baseline outside the space is the user's to fix, and its error says so) and
 * continuations (retries, promoted or recovered trials), which carry a checkpoint. A worker that claims one first
 * wins: its trial runs and fails as before.
 */
export async function withdrawQueuedOutsideSpace(study: Study, space: SearchSpace): Promise<FrozenTrial[]> {
  const withdrawn: FrozenTrial[] = []
  for (const t of await study.trials()) {
    if (t.state !== 'WAITING' || isContinuation(t) || t.systemAttrs.baseline === true) continue
    const fixed = (t.systemAttrs.fixedParams ?? {}) as ParamValues
    const outside = Object.keys(fixed).filter((p) => Object.hasOwn(space, p) && !containsValue(space[p], fixed[p]))
    if (outside.length === 0) continue
    const reason = `not run: queued with ${outside.map((p) => `${p}=${JSON.stringify(fixed[p])}`).join(', ')}, outside the study's current space`
    try {
      withdrawn.push(
        await study.storage.setTrialState(t.id, 'PRUNED', {
          expectedState: 'WAITING',
          systemAttrs: { notRun: true, pruneReason: reason },
        }),
      )
    } catch {
      // Claimed by a worker in the meantime: it runs (and fails with the distribution error) as before.
    }
  }
  return withdrawn
}
