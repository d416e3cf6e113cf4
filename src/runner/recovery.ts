import { hostname } from 'node:os'
import { TrialStateError } from '../core/errors.ts'
import type { Study } from '../core/study/study.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'

/** Who runs a trial, stored with it (`systemAttrs.worker`) so a dead worker's trials can be recognised. */
export function workerIdentity(): { host: string; pid: number } {
  return { host: hostname(), pid: process.pid }
}

/**
 * Re-queues the RUNNING trials of dead workers so they re-run with the same parameters and trial number,
 * from their last checkpoint. A worker on this host whose process is gone (e.g. `kill -9` of `winnow tune`)
 * is recognised at once; elsewhere a trial is taken for dead when its heartbeat is older than `staleMs`.
 * `mine` are the trials this process runs (never touched).
 */
export async function recoverDeadWorkersTrials(
  study: Study,
  mine: ReadonlySet<number>,
  staleMs: number,
): Promise<FrozenTrial[]> {
  const out: FrozenTrial[] = []
  for (const t of await study.trials()) {
    const w = t.systemAttrs.worker as { host?: string; pid?: number } | undefined
    if (t.state !== 'RUNNING' || mine.has(t.id) || w?.host !== hostname() || typeof w.pid !== 'number') continue
    if (w.pid === process.pid || isAlive(w.pid)) continue
    try {
      out.push(await study.storage.setTrialState(t.id, 'WAITING', { expectedState: 'RUNNING' }))
    } catch (e) {
      if (!(e instanceof TrialStateError)) throw e // another worker recovered it first
    }
  }
  const stale = await study.storage.requeueStaleTrials(study.id, Date.now() - staleMs)
  return [...out, ...stale.filter((t) => !mine.has(t.id))]
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
