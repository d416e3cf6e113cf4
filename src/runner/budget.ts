import { type FrozenTrial, isWithdrawn } from '../core/trial/frozen-trial.ts'
import type { Budget } from './options.ts'

/**
 * Checks a run against its budget. Trials count every trial of the study except retries (a retry re-runs a
 * failure, it is not a new configuration), PBT's replacements (a population member goes on under new
 * parameters; the trial budget is the population size) and queued trials that never started (or were withdrawn
 * unrun, `notRun`); GPU-hours add
 * up the stored `gpuSeconds` of every trial plus what running attempts have used so far; wall time is this
 * run's.
 */
/** How many of the study's trials count toward a trial budget (see BudgetTracker). */
export function trialsCounted(trials: readonly FrozenTrial[]): number {
  return trials.filter(
    (t) =>
      t.systemAttrs.retryOf === undefined &&
      t.systemAttrs.pbt === undefined &&
      !isWithdrawn(t) &&
      (t.state !== 'WAITING' || t.startedAt !== null),
  ).length
}

/**
 * Queued configurations that never started and are not retries or PBT replacements: the points a finite sampler
 * (grid, OFAT) queued and has not run yet.
 */
export function pointsNotRun(trials: readonly FrozenTrial[]): number {
  return pointsWaiting(trials).filter((t) => t.startedAt === null).length
}

/** The queued points (never started, or re-queued after an interrupted run): what a sweep has left to run. */
export function pointsToRun(trials: readonly FrozenTrial[]): number {
  return pointsWaiting(trials).length
}

function pointsWaiting(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter(
    (t) => t.state === 'WAITING' && t.systemAttrs.retryOf === undefined && t.systemAttrs.pbt === undefined,
  )
}

export class BudgetTracker {
  constructor(private readonly b: Budget) {}

  /** New trials that may still start (Infinity without a trial budget). */
  trialsLeft(trials: readonly FrozenTrial[]): number {
    if (this.b.trials === undefined) return Number.POSITIVE_INFINITY
    return this.b.trials - trialsCounted(trials)
  }

  /** Whether this run's wall time is used up. */
  wallTimeUsed(runStartedAt: number, now = Date.now()): boolean {
    return this.b.wallTimeSeconds !== undefined && (now - runStartedAt) / 1000 >= this.b.wallTimeSeconds
  }

  /** Whether the study's GPU-hours are used up, counting `liveGpuSeconds` of running attempts. */
  gpuHoursUsed(trials: readonly FrozenTrial[], liveGpuSeconds: number): boolean {
    if (this.b.gpuHours === undefined) return false
    let s = liveGpuSeconds
    for (const t of trials) if (typeof t.systemAttrs.gpuSeconds === 'number') s += t.systemAttrs.gpuSeconds
    return s / 3600 >= this.b.gpuHours
  }
}
