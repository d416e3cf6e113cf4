import type { ParamValues } from '../distributions/distribution.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/**
 * Whether every point of a finite sampler (grid, one-at-a-time sweep) has been handed out: each point is queued
 * once when the study is created and claimed by exactly one worker, so a point is "seen" once any trial carries
 * it (as queued `fixedParams` or as its parameters). Points compare on `names` only.
 */
export function allPointsHandedOut(
  points: readonly ParamValues[],
  names: readonly string[],
  history: readonly FrozenTrial[],
): boolean {
  const key = (p: ParamValues) => JSON.stringify(names.map((n) => p[n] ?? null))
  const seen = new Set(history.map((t) => key((t.systemAttrs.fixedParams as ParamValues | undefined) ?? t.params)))
  return points.every((p) => seen.has(key(p)))
}
