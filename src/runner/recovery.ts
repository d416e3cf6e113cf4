import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { TrialStateError } from '../core/errors.ts'
import type { Study } from '../core/study/study.ts'
import { type FrozenTrial, lastSignOfLife } from '../core/trial/frozen-trial.ts'
import { groupExists, signalGroup } from './executor/process-group.ts'

/** Who runs a trial, stored with it (`systemAttrs.worker`) so a dead worker's trials can be recognised. */
export function workerIdentity(): { host: string; pid: number } {
  return { host: hostname(), pid: process.pid }
}

/** `systemAttrs.worker` as stored: the worker, and once launched the trial's process group. */
interface StoredWorker {
  readonly host?: string
  readonly pid?: number
  readonly trialPgid?: number
  /** When the attempt started (epoch ms), and the GPUs it held: what a lost attempt cost. */
  readonly attemptStartedAt?: number
  readonly gpus?: number
}

/**
 * Re-queues the RUNNING trials of dead workers so they re-run with the same parameters and trial number,
 * from their last checkpoint. A worker on this host whose process is gone (e.g. `kill -9` of `winnow tune`)
 * is recognised at once; its trial's process group, which outlives it, is ended first (SIGTERM, SIGKILL after
 * `graceMs`): two copies of one trial would double its GPU memory and write one checkpoint folder. Elsewhere a
 * trial is taken for dead when its heartbeat is older than `staleMs`. `mine` are the trials this process runs
 * (never touched). `note` hears what was ended.
 */
export async function recoverDeadWorkersTrials(
  study: Study,
  mine: ReadonlySet<number>,
  staleMs: number,
  graceMs = 10_000,
  note: (message: string) => void = () => {},
): Promise<FrozenTrial[]> {
  const out: FrozenTrial[] = []
  for (const t of await study.trials()) {
    const w = t.systemAttrs.worker as StoredWorker | undefined
    if (t.state !== 'RUNNING' || mine.has(t.id) || w?.host !== hostname() || typeof w.pid !== 'number') continue
    if (w.pid === process.pid || isAlive(w.pid)) continue
    const orphaned = typeof w.trialPgid === 'number' && (await endOrphanedGroup(w.trialPgid, t.id, graceMs))
    if (orphaned)
      note(
        `trial #${t.number}: its worker (pid ${w.pid}) is gone but the trial's processes were still running; ended them (process group ${w.trialPgid}) before re-queuing it`,
      )
    // The lost attempt's compute counts (status, the report, GPU-hour budgets): until its processes were ended just
    // now, else until its last heartbeat.
    const end = orphaned ? Date.now() : lastSignOfLife(t)
    const lost = typeof w.attemptStartedAt === 'number' ? Math.max(0, end - w.attemptStartedAt) / 1000 : 0
    const prev = t.systemAttrs
    const systemAttrs = {
      wallSeconds: num(prev.wallSeconds) + lost,
      gpuSeconds: num(prev.gpuSeconds) + lost * (typeof w.gpus === 'number' ? w.gpus : 0),
      attempts: num(prev.attempts) + 1,
      interrupted: `its worker (pid ${w.pid} on ${w.host}) died`,
    }
    try {
      out.push(await study.storage.setTrialState(t.id, 'WAITING', { expectedState: 'RUNNING', systemAttrs }))
    } catch (e) {
      if (!(e instanceof TrialStateError)) throw e // another worker recovered it first
    }
  }
  const stale = await study.storage.requeueStaleTrials(study.id, Date.now() - staleMs)
  return [...out, ...stale.filter((t) => !mine.has(t.id))]
}

/**
 * The RUNNING trials whose worker is gone: a dead process on this host, or (elsewhere) no heartbeat for `staleMs`.
 * For `winnow status`, which only reads: the next `winnow tune` / `worker` re-queues them.
 */
export function trialsWithoutWorker(trials: readonly FrozenTrial[], staleMs: number, now = Date.now()): FrozenTrial[] {
  return trials.filter((t) => {
    if (t.state !== 'RUNNING') return false
    const w = t.systemAttrs.worker as StoredWorker | undefined
    if (w?.host === hostname() && typeof w.pid === 'number') return !isAlive(w.pid)
    return now - lastSignOfLife(t) > staleMs
  })
}

/**
 * Ends the process group `pgid` of trial `trialId` if it still runs; true when there was one. The group's leader
 * must carry the trial's id in its environment (`WINNOW_TRIAL_ID`), so a reused process id is never signalled;
 * where the leader has exited, its group id cannot have been reused (Linux allocates no pid that names a live
 * group), so the members left are the trial's.
 */
async function endOrphanedGroup(pgid: number, trialId: number, graceMs: number): Promise<boolean> {
  if (!groupExists(pgid) || !leaderIsTrial(pgid, trialId)) return false
  signalGroup(pgid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (groupExists(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (groupExists(pgid)) {
    signalGroup(pgid, 'SIGKILL')
    for (let i = 0; i < 50 && groupExists(pgid); i++) await new Promise((r) => setTimeout(r, 100))
  }
  return true
}

/** Whether process `pid` runs trial `trialId` (its environment says so); true when it has exited (see above). */
function leaderIsTrial(pid: number, trialId: number): boolean {
  let environ: string
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // No such process: the leader exited and left members behind. No /proc (macOS): trust the stored group.
    return code === 'ENOENT' || code === 'ESRCH'
  }
  return environ.split('\0').includes(`WINNOW_TRIAL_ID=${trialId}`)
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0
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
