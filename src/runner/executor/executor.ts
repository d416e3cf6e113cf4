import type { OomEvidence } from './oom.ts'
/**
 * The seam between the runner and whatever runs a trial's command. Call order: `launch(spec)` once per
 * attempt; then any number of `kill(reason)` / `signal(sig)`; `exited` resolves exactly once, after the
 * process (and, for the local executor, its whole process group) is gone and the log is flushed.
 */
export interface Executor {
  readonly name: string
  /** Starts the command of one trial attempt. Never throws for a bad command: `exited` reports it. */
  launch(spec: LaunchSpec): RunHandle
}

/** Everything needed to start one trial attempt. `argv` is already rendered: it is never given to a shell. */
export interface LaunchSpec {
  /** A label for messages, e.g. `#3 of study "lora"`. */
  readonly label: string
  readonly argv: readonly string[]
  /** Working directory. @default the runner's cwd */
  readonly cwd?: string
  /** Variables added to (and overriding) the parent's environment. */
  readonly env: Readonly<Record<string, string>>
  /** stdout and stderr are appended to this file. */
  readonly logFile: string
  /** Killed (SIGTERM → grace → SIGKILL) after this many seconds; undefined = no limit. */
  readonly timeoutSeconds?: number
  /** Seconds between SIGTERM and SIGKILL. */
  readonly graceSeconds: number
  /** Called for each complete output line (without its newline). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

/** A running trial attempt. */
export interface RunHandle {
  /** Process id of the leader (also the process group id); undefined when the spawn failed. */
  readonly pid: number | undefined
  /** Resolves when the attempt is over. */
  readonly exited: Promise<ExitInfo>
  /** Ends the attempt: SIGTERM to the process group, then SIGKILL after the grace period. Idempotent. */
  kill(reason: string): void
  /** Sends one signal to the process group (no escalation). */
  signal(sig: NodeJS.Signals): void
}

/** How an attempt ended. */
export interface ExitInfo {
  /** Exit code, or null when ended by a signal or never started. */
  readonly code: number | null
  /** Signal that ended the leader, e.g. 'SIGKILL'. */
  readonly signal: string | null
  readonly durationSeconds: number
  /** The last lines of the log (about 50). */
  readonly logTail: readonly string[]
  /** Why Winnow ended it, when it did: 'timeout' or the reason given to `kill`. */
  readonly killedBecause?: string
  /**
   * Why the exit was taken for out of memory, when it was: a log line ('log'), a SIGKILL Winnow did not send while
   * the kernel's OOM-kill count rose ('kernel'), or such a SIGKILL where that count cannot be read ('guess').
   */
  readonly oom?: OomEvidence
  /** The spawn error (e.g. ENOENT for a missing program), when the command never ran. */
  readonly spawnError?: string
}
