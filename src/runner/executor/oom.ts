import { readFileSync } from 'node:fs'

/**
 * Recognises out-of-memory failures from log lines. An OOM is a property of the configuration (batch size,
 * sequence length, model size), so the runner records it as infeasible for the sampler to learn from.
 */
const OOM_PATTERNS: readonly RegExp[] = [
  /CUDA out of memory/i,
  /torch\.(cuda\.)?OutOfMemoryError/,
  /std::bad_alloc/,
  /\bMemoryError\b/,
  /HIP out of memory/i,
  /RESOURCE_EXHAUSTED: Out of memory/i,
  /CUBLAS_STATUS_ALLOC_FAILED/,
  /JavaScript heap out of memory/,
]

/** Whether a log line says the process ran out of (GPU or host) memory. */
export function isOomLine(line: string): boolean {
  return OOM_PATTERNS.some((re) => re.test(line))
}

/**
 * The kernel's count of OOM kills since boot (`oom_kill` in /proc/vmstat, Linux 4.13+; it counts kills by a
 * container's memory limit too), or undefined where it cannot be read.
 */
export function oomKillCount(): number | undefined {
  try {
    const m = /^oom_kill (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

/** How an exit was judged out of memory; undefined when it was not. */
export type OomEvidence = 'log' | 'kernel' | 'guess'

/**
 * Whether a SIGKILL that Winnow did not send was the kernel's OOM killer: 'kernel' when its OOM-kill count rose
 * while the trial ran, not at all when the count is known and did not move (someone killed it: a user, a
 * scheduler's preemption — a failure like any other, retried, not a property of the configuration), 'guess' when
 * the count cannot be read (the SIGKILL is then taken for an OOM kill, the likeliest sender).
 */
export function oomKillEvidence(
  signal: string | null,
  killedByUs: boolean,
  killsBefore: number | undefined,
  killsAfter: number | undefined,
): OomEvidence | undefined {
  if (signal !== 'SIGKILL' || killedByUs) return undefined
  if (killsBefore === undefined || killsAfter === undefined) return 'guess'
  return killsAfter > killsBefore ? 'kernel' : undefined
}

/** The failure reason for an out-of-memory exit, by its evidence. */
export function oomReason(evidence: OomEvidence): string {
  if (evidence === 'log') return 'out of memory'
  if (evidence === 'kernel') return "out of memory (killed by the kernel's OOM killer)"
  return "killed by SIGKILL from outside Winnow — most likely the kernel's OOM killer (this system does not count OOM kills, so it could not be checked)"
}
