import { readdirSync, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { TrialStateError } from '../core/errors.ts'
import type { Study } from '../core/study/study.ts'
import { type FrozenTrial, lastSignOfLife } from '../core/trial/frozen-trial.ts'
import { resumeStep } from './checkpoints.ts'
import { costsWithAttempt, resourceWithAttempt } from './record-outcome.ts'

/** Who runs a trial, stored with it (`systemAttrs.worker`) so a dead worker's trials can be recognised. */
export function workerIdentity(): { host: string; pid: number } {
  return { host: hostname(), pid: process.pid }
}

/** `systemAttrs.worker` as stored by launch-attempt.ts. */
interface StoredWorker {
  readonly host?: string
  readonly pid?: number
  /** The attempt's random key, in its processes' environment as `WINNOW_ATTEMPT`. */
  readonly attemptKey?: string
  /** When the attempt started (epoch ms), and the GPUs it held: what a lost attempt cost. */
  readonly attemptStartedAt?: number
  readonly gpus?: number
  /** The step the attempt resumed from (0 from scratch): where its training is counted from. */
  readonly resumeStep?: number
}

/**
 * Re-queues the RUNNING trials of dead workers so they re-run with the same parameters and trial number,
 * from their last checkpoint. A worker on this host whose process is gone (e.g. `kill -9` of `winnow tune`)
 * is recognised at once; the processes its trials left running (they outlive it: own process group) are ended
 * first — SIGTERM, SIGKILL after `graceMs` — since two copies of one trial would double its GPU memory and write
 * one checkpoint folder; and the lost attempt's time is charged to its trial. Elsewhere a trial is taken for dead
 * when its heartbeat is older than `staleMs` (its processes are on another machine). `mine` are the trials this
 * process runs (never touched). `note` hears what is being done.
 */
export async function recoverDeadWorkersTrials(
  study: Study,
  mine: ReadonlySet<number>,
  staleMs: number,
  graceMs = 10_000,
  note: (message: string) => void = () => {},
): Promise<FrozenTrial[]> {
  const dead: { t: FrozenTrial; w: StoredWorker & { pid: number } }[] = []
  for (const t of await study.trials()) {
    const w = t.systemAttrs.worker as StoredWorker | undefined
    if (t.state !== 'RUNNING' || mine.has(t.id) || w?.host !== hostname() || typeof w.pid !== 'number') continue
    if (w.pid !== process.pid && !isAlive(w.pid)) dead.push({ t, w: { ...w, pid: w.pid } })
  }
  // All at once: each may wait up to the grace period.
  const out = await Promise.all(dead.map(({ t, w }) => requeueOrphan(study, t, w, graceMs, note)))
  const stale = await study.storage.requeueStaleTrials(study.id, Date.now() - staleMs)
  return [...out.filter((t) => t !== undefined), ...stale.filter((t) => !mine.has(t.id))]
}

async function requeueOrphan(
  study: Study,
  t: FrozenTrial,
  w: StoredWorker & { pid: number },
  graceMs: number,
  note: (message: string) => void,
): Promise<FrozenTrial | undefined> {
  const left = typeof w.attemptKey === 'string' ? processesOfAttempt(w.attemptKey) : []
  if (left === undefined)
    note(
      `trial #${t.number}: its worker (pid ${w.pid}) is gone; this system has no /proc, so processes it left running cannot be found — check that they have ended before the trial runs again`,
    )
  else if (left.length > 0) {
    note(
      `trial #${t.number}: its worker (pid ${w.pid}) is gone but the trial's processes (pids ${left.join(', ')}) are still running; ending them before re-queuing it`,
    )
    await endProcesses(left, graceMs)
  }
  // The lost attempt's compute counts (status, the report, GPU-hour budgets): until its processes were ended just
  // now, else until its last heartbeat.
  const end = left !== undefined && left.length > 0 ? Date.now() : lastSignOfLife(t)
  const lost = typeof w.attemptStartedAt === 'number' ? Math.max(0, end - w.attemptStartedAt) / 1000 : 0
  // Its reports are stored: the steps it trained count from where it started up to the last of them.
  const reached = t.intermediate.at(-1)?.step
  // A worker recorded before resume steps were kept: its attempt started from the trial's checkpoint, if any.
  const start = typeof w.resumeStep === 'number' ? w.resumeStep : resumeStep(t)
  const resourceUsed = resourceWithAttempt(t.systemAttrs, start, reached)
  const systemAttrs = {
    ...costsWithAttempt(t.systemAttrs, lost, lost * (typeof w.gpus === 'number' ? w.gpus : 0)),
    ...(resourceUsed !== undefined ? { resourceUsed } : {}),
    interrupted: `its worker (pid ${w.pid} on ${w.host}) died`,
  }
  try {
    return await study.storage.setTrialState(t.id, 'WAITING', { expectedState: 'RUNNING', systemAttrs })
  } catch (e) {
    if (!(e instanceof TrialStateError)) throw e // another worker recovered it first
    return undefined
  }
}

/**
 * The processes on this machine whose environment carries `WINNOW_ATTEMPT=<key>` (the attempt's processes and
 * their children, wherever their process group); undefined where there is no /proc to look in. Why a random key
 * and not the stored process id: after the attempt's processes are gone, their ids can belong to anyone.
 */
export function processesOfAttempt(key: string): number[] | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const marker = `WINNOW_ATTEMPT=${key}`
  const found: number[] = []
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(name))
    } catch {
      // Gone meanwhile, or another user's process (not readable): not ours.
    }
  }
  return found
}

/** SIGTERM to each, then SIGKILL to those still there after `graceMs`. */
async function endProcesses(pids: readonly number[], graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids)
      try {
        process.kill(pid, sig)
      } catch {
        // Already gone.
      }
  }
  const anyLeft = () => pids.some((pid) => isAlive(pid) && !isZombie(pid))
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (anyLeft() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (anyLeft()) {
    signal('SIGKILL')
    for (let i = 0; i < 50 && anyLeft(); i++) await new Promise((r) => setTimeout(r, 100))
  }
}

/** A process that has exited but is not yet reaped by its parent (it holds no memory and writes nothing). */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'))
  } catch {
    return false
  }
}

/**
 * The RUNNING trials the runner started whose worker is gone: a dead process on this host, or no heartbeat for
 * `staleMs`. For `winnow status`, which only reads: the next `winnow tune` / `worker` re-queues them.
 */
export function trialsWithoutWorker(trials: readonly FrozenTrial[], staleMs: number, now = Date.now()): FrozenTrial[] {
  return trials.filter((t) => {
    const w = t.systemAttrs.worker as StoredWorker | undefined
    // Library ask/tell trials have no worker record and no heartbeat: nothing to say about them.
    if (t.state !== 'RUNNING' || w === undefined) return false
    const deadHere = w.host === hostname() && typeof w.pid === 'number' && !isAlive(w.pid)
    return deadHere || now - lastSignOfLife(t) > staleMs
  })
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
