import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A lock folder older than this is a crashed holder's: broken. Holding it takes microseconds. */
const STALE_LOCK_MS = 5000
const LOCK_WAIT_MS = 2000

/** One GPU share a lease takes: the device index and the fraction of it. */
export interface GpuShare {
  readonly index: number
  readonly fraction: number
}

/**
 * GPU leases shared by every Winnow process on this host, so two runs (`winnow tune` twice, a `winnow worker` beside
 * a tune) never put trials on the same GPU: one trial would run out of memory and be recorded as infeasible, teaching
 * the sampler to avoid a good configuration. Each share is a small file `<gpu>.<pid>.<n>` holding its fraction, in
 * one folder; shares of a process that is gone count for nothing and are removed. Claims happen under a lock
 * folder (mkdir is atomic), so two processes cannot both take the last free GPU.
 */
export class HostGpuLeases {
  #seq = 0

  constructor(readonly dir: string = join(tmpdir(), 'winnow-gpu-leases')) {}

  /**
   * Under the host lock, hands `choose` the GPU fractions other live processes hold (by index) and records the
   * shares it returns; returns their files, or undefined when `choose` found nothing free.
   */
  claim(choose: (heldElsewhere: ReadonlyMap<number, number>) => readonly GpuShare[] | undefined): string[] | undefined {
    try {
      mkdirSync(this.dir, { recursive: true })
    } catch {
      // No shared folder (a read-only temp dir): this process's own bookkeeping still holds.
      return choose(new Map()) === undefined ? undefined : []
    }
    return this.#locked(() => {
      const shares = choose(this.#heldElsewhere())
      if (shares === undefined) return undefined
      return shares.map((s) => {
        const file = join(this.dir, `${s.index}.${process.pid}.${this.#seq++}`)
        writeFileSync(file, String(s.fraction))
        return file
      })
    })
  }

  /** Gives shares back. */
  release(files: readonly string[]): void {
    for (const f of files) rmSync(f, { force: true })
  }

  /** The fraction of each GPU that other live processes hold; shares of dead processes are removed. */
  #heldElsewhere(): Map<number, number> {
    const held = new Map<number, number>()
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)\.(\d+)\.\d+$/.exec(name)
      if (m === null) continue
      const pid = Number(m[2])
      if (pid === process.pid) continue
      if (!alive(pid)) {
        rmSync(join(this.dir, name), { force: true })
        continue
      }
      let fraction = 1
      try {
        fraction = Number(readFileSync(join(this.dir, name), 'utf8')) || 1
      } catch {
        continue // released meanwhile
      }
      held.set(Number(m[1]), (held.get(Number(m[1])) ?? 0) + fraction)
    }
    return held
  }

  #locked<T>(fn: () => T): T {
    const lock = join(this.dir, '.lock')
    const started = Date.now()
    for (;;) {
      try {
        mkdirSync(lock)
        break
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
        try {
          if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true })
        } catch {
          // released meanwhile
        }
        // Past the wait, go on unlocked rather than stall the run: the lock only guards a rare race.
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
