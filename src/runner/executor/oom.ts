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
 * Whether an exit looks like the kernel's OOM killer: SIGKILL that Winnow did not send. Without dmesg access
 * this is a heuristic; the log patterns above are the stronger signal.
 */
export function isOomKill(signal: string | null, killedByUs: boolean): boolean {
  return signal === 'SIGKILL' && !killedByUs
}
