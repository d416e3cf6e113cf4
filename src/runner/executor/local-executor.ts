import { type ChildProcess, spawn } from 'node:child_process'
import type { Executor, ExitInfo, LaunchSpec, RunHandle } from './executor.ts'
import { LogCapture } from './log-capture.ts'
import { isOomLine, type OomEvidence, oomKillCount, oomKillEvidence } from './oom.ts'
import { groupExists, signalGroup } from './process-group.ts'

/**
 * Runs each trial as a local process in its own process group (`detached`), never through a shell: argv
 * values reach the program literally, whatever characters they hold. Ending a trial signals the whole
 * group: SIGTERM, then SIGKILL after the grace period. After the leader exits, stragglers of its group
 * (orphaned ranks, data loader workers) are ended the same way so no trial outlives its record.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local'

  launch(spec: LaunchSpec): RunHandle {
    return new LocalRun(spec)
  }
}

class LocalRun implements RunHandle {
  readonly exited: Promise<ExitInfo>
  private readonly child: ChildProcess | undefined
  private readonly startedAt = Date.now()
  /** The kernel's OOM-kill count at launch, to tell its SIGKILL from anyone else's (see `oomKillEvidence`). */
  private readonly oomKillsAtStart = oomKillCount()
  private readonly log: LogCapture
  private killedBecause: string | undefined
  private killTimer: NodeJS.Timeout | undefined
  private timeoutTimer: NodeJS.Timeout | undefined
  private oomSeen = false
  private leaderExit: { code: number | null; signal: string | null; at: number } | undefined
  private spawnError: string | undefined
  private done = false

  constructor(private readonly spec: LaunchSpec) {
    this.log = new LogCapture(spec.logFile, (line, stream) => {
      if (!this.oomSeen && isOomLine(line)) this.oomSeen = true
      spec.onLine?.(line, stream)
    })
    let resolve!: (info: ExitInfo) => void
    this.exited = new Promise((r) => {
      resolve = r
    })
    const [program, ...args] = spec.argv
    if (program === undefined || program === '') {
      // Messages name no trial: a setup that fails every trial the same way must read the same (the fail-fast stop).
      this.spawnError = 'The command is empty; set `command` in the study file.'
      this.child = undefined
      void this.finish(resolve)
      return
    }
    let child: ChildProcess
    try {
      child = spawn(program, args, {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        detached: true,
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    } catch (e) {
      this.spawnError = `Could not start ${JSON.stringify(program)}: ${(e as Error).message}`
      this.child = undefined
      void this.finish(resolve)
      return
    }
    this.child = child
    child.stdout?.on('data', (c: Buffer) => this.log.write('stdout', c))
    child.stderr?.on('data', (c: Buffer) => this.log.write('stderr', c))
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        const hint = e.code === 'ENOENT' ? ' Check the program name and PATH, or use an absolute path.' : ''
        this.spawnError = `Could not start ${JSON.stringify(program)} (cwd ${spec.cwd ?? process.cwd()}): ${e.message}.${hint}`
        void this.finish(resolve)
      }
    })
    child.on('exit', (code, signal) => {
      this.leaderExit = { code, signal, at: Date.now() }
      clearTimeout(this.timeoutTimer)
      this.endStragglers()
    })
    child.on('close', () => void this.finish(resolve))
    if (spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0) {
      this.timeoutTimer = setTimeout(() => this.kill('timeout'), spec.timeoutSeconds * 1000)
      this.timeoutTimer.unref()
    }
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  kill(reason: string): void {
    if (this.done || this.killedBecause !== undefined || this.child?.pid === undefined) return
    this.killedBecause = reason
    this.log.note(`ending trial ${this.spec.label}: ${reason} (SIGTERM, SIGKILL after ${this.spec.graceSeconds}s)`)
    signalGroup(this.child.pid, 'SIGTERM')
    this.armKill()
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child?.pid !== undefined && !this.done) signalGroup(this.child.pid, sig)
  }

  /** The leader is gone; members left in its group get SIGTERM and, after the grace period, SIGKILL. */
  private endStragglers(): void {
    const pid = this.child?.pid
    if (pid === undefined || !groupExists(pid)) return
    signalGroup(pid, 'SIGTERM')
    this.armKill()
  }

  private armKill(): void {
    const pid = this.child?.pid
    if (pid === undefined || this.killTimer !== undefined) return
    this.killTimer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL')
      // A descendant that left the group (setsid) may still hold our pipes: stop waiting for them.
      setTimeout(() => {
        this.child?.stdout?.destroy()
        this.child?.stderr?.destroy()
      }, 1000).unref()
    }, this.spec.graceSeconds * 1000)
  }

  private oomEvidence(signal: string | null): { oom?: OomEvidence } {
    if (this.oomSeen) return { oom: 'log' }
    const e = oomKillEvidence(signal, this.killedBecause !== undefined, this.oomKillsAtStart, oomKillCount())
    return e !== undefined ? { oom: e } : {}
  }

  private async finish(resolve: (info: ExitInfo) => void): Promise<void> {
    if (this.done) return
    this.done = true
    clearTimeout(this.timeoutTimer)
    const pid = this.child?.pid
    // Group already empty: no SIGKILL needed; otherwise the armed timer still fires and ends it.
    if (this.killTimer !== undefined && (pid === undefined || !groupExists(pid))) clearTimeout(this.killTimer)
    if (this.spawnError !== undefined) this.log.note(this.spawnError)
    await this.log.close()
    const exit = this.leaderExit
    const end = exit?.at ?? Date.now()
    const signal = exit?.signal ?? null
    resolve({
      code: exit?.code ?? null,
      signal,
      durationSeconds: (end - this.startedAt) / 1000,
      logTail: this.log.lastLines(),
      ...(this.killedBecause !== undefined ? { killedBecause: this.killedBecause } : {}),
      ...this.oomEvidence(signal),
      ...(this.spawnError !== undefined ? { spawnError: this.spawnError } : {}),
    })
  }
}
