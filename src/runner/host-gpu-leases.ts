import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A lock older than this whose holder cannot be checked is taken to be a crashed holder's. */
const STALE_LOCK_MS = 5000
/** How long a claim waits for the lock before it goes on unlocked (the lock guards a rare race; never stall a run). */
const LOCK_WAIT_MS = 200

/** One GPU share a lease takes: the device's key (its UUID, else its index) and the fraction of it. */
export interface GpuShare {
  readonly key: string
  readonly fraction: number
}

/** What other live Winnow processes on this host hold: the fraction of each GPU (by key), and their pids. */
export interface HeldElsewhere {
  readonly fractions: ReadonlyMap<string, number>
  readonly pids: ReadonlySet<number>
}

/**
 * GPU leases shared by every Winnow process on this host, so two runs (`winnow tune` twice, a `winnow worker` beside
 * a tune) never put trials on the same GPU: one trial would run out of memory and be recorded as infeasible, teaching
 * the sampler to avoid a good configuration. Each share is a small file `<gpu key>.<pid>.<n>` holding its fraction,
 * in one folder every user can write (sticky, like /tmp); shares of a process that is gone count for nothing.
 * Claims happen under a lock folder (mkdir is atomic), so two processes cannot both take the last free GPU. Where
 * the folder cannot be used (permissions, a read-only temp dir), the process falls back to its own bookkeeping.
 */
export class HostGpuLeases {
  #seq = 0
  #broken = false

  constructor(readonly dir: string = join(tmpdir(), 'winnow-gpu-leases')) {}

  /**
   * Under the host lock, hands `choose` what other live processes hold and records the shares it returns; returns
   * their files ([] without a usable folder), or undefined when `choose` found nothing free.
   */
  claim(choose: (elsewhere: HeldElsewhere) => readonly GpuShare[] | undefined): string[] | undefined {
    const alone: HeldElsewhere = { fractions: new Map(), pids: new Set() }
    if (this.#broken || !this.#ensureDir()) return choose(alone) === undefined ? undefined : []
    try {
      return this.#locked(() => {
        const shares = choose(this.#heldElsewhere())
        if (shares === undefined) return undefined
        return shares.map((s) => {
          const file = join(this.dir, `${s.key}.${process.pid}.${this.#seq++}`)
          writeFileSync(file, String(s.fraction))
          return file
        })
      })
    } catch {
      // EACCES / EPERM / EROFS: another user's folder or lock; this process keeps to its own bookkeeping.
      this.#broken = true
      return choose(alone) === undefined ? undefined : []
    }
  }

  /** Gives shares back. */
  release(files: readonly string[]): void {
    for (const f of files) rmSync(f, { force: true })
  }

  #ensureDir(): boolean {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o1777 })
      // mkdir's mode is filtered by the umask; the folder is shared by every user of the machine.
      if ((statSync(this.dir).mode & 0o1777) !== 0o1777) chmodSync(this.dir, 0o1777)
      return true
    } catch {
      // Not ours to chmod: usable if it is writable, which the first claim finds out.
      return true
    }
  }

  /** What other live processes hold; shares of dead processes are removed (where this user may). */
  #heldElsewhere(): HeldElsewhere {
    const fractions = new Map<string, number>()
    const pids = new Set<number>()
    for (const name of readdirSync(this.dir)) {
      const m = /^(.+)\.(\d+)\.\d+$/.exec(name)
      if (m === null || name.startsWith('.')) continue
      const pid = Number(m[2])
      if (pid === process.pid) continue
      if (!alive(pid)) {
        try {
          rmSync(join(this.dir, name), { force: true })
        } catch {
          // another user's: it counts for nothing all the same
        }
        continue
      }
      let fraction: number
      try {
        fraction = Number(readFileSync(join(this.dir, name), 'utf8')) || 1
      } catch {
        continue // released meanwhile
      }
      fractions.set(m[1], (fractions.get(m[1]) ?? 0) + fraction)
      pids.add(pid)
    }
    return { fractions, pids }
  }

  #locked<T>(fn: () => T): T {
    const lock = join(this.dir, '.lock')
    const started = Date.now()
    for (;;) {
      try {
        mkdirSync(lock)
        writeFileSync(join(lock, 'pid'), String(process.pid))
        break
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
        if (this.#lockIsStale(lock)) {
          // Renamed first, so a waiter that re-created the lock meanwhile does not lose it to this removal.
          const gone = `${lock}.stale.${process.pid}.${Date.now()}`
          try {
            renameSync(lock, gone)
            rmSync(gone, { recursive: true, force: true })
          } catch {
            // another waiter broke it first
          }
          continue
        }
        if (Date.now() - started > LOCK_WAIT_MS) return fn()
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
      }
    }
    try {
      return fn()
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }

  /** A lock whose holder is gone, or (holder unknown) older than STALE_LOCK_MS. */
  #lockIsStale(lock: string): boolean {
    try {
      const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'))
      if (pid > 0) return !alive(pid)
    } catch {
      // no pid yet (being created) or unreadable: judge by age
    }
    try {
      return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS
    } catch {
      return false // gone meanwhile
    }
  }
}

/** Whether a process exists (one of another user counts: EPERM). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
