/** What past trials taught about the memory model on this GPU: estimates of runs that fit and of runs that OOMed. */
export interface MemoryObservations {
  /** Estimates (GiB) of trials that ran out of memory. */
  readonly oomEstimates: readonly number[]
  /** Estimates (GiB) of trials that ran without running out of memory (completed, pruned or paused). */
  readonly fitEstimates: readonly number[]
}

/**
 * The limit to compare estimates with, after real runs: a configuration estimated at E that ran out of memory
 * shows that the model underestimates on this setup, so nothing estimated at E or more is launched again
 * (limit = min(limit, smallest OOM estimate)). A configuration that fit is proof too: the limit never drops
 * below the largest estimate that ran, so one noisy OOM cannot shut out what is known to work.
 */
export function correctedLimit(limitGb: number, obs: MemoryObservations): number {
  if (obs.oomEstimates.length === 0) return limitGb
  const lowest = Math.min(...obs.oomEstimates)
  const provenFit = obs.fitEstimates.length > 0 ? Math.max(...obs.fitEstimates) : 0
  return Math.min(limitGb, Math.max(lowest, provenFit))
}

/** Whether an estimate fits under a limit; the smallest OOMed estimate itself is infeasible. */
export function fitsUnder(estimateGb: number, limitGb: number, obs: MemoryObservations): boolean {
  const limit = correctedLimit(limitGb, obs)
  return limit < limitGb ? estimateGb < limit : estimateGb <= limit
}
