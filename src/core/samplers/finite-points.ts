import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from './sampler.ts'

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

/**
 * A sampler that is a fixed list of points (grid, one-at-a-time sweep): every point is queued when the study is
 * created (`initialQueue`), each is claimed by one worker, and `isExhausted` ends the study once all were handed
 * out. Nothing is sampled jointly; subclasses say what a parameter outside the points gets (`sampleIndependent`).
 */
export abstract class QueuedPointsSampler implements Sampler {
  abstract readonly name: string
  /** The parameters the points set (points compare on these). */
  protected abstract readonly names: readonly string[]
  protected abstract readonly points: readonly ParamValues[]

  /** Number of points, that is of trials the sampler takes. */
  get size(): number {
    return this.points.length
  }

  initialQueue(): readonly ParamValues[] {
    return this.points
  }

  isExhausted(history: readonly FrozenTrial[]): boolean {
    return allPointsHandedOut(this.points, this.names, history)
  }

  inferRelativeSpace(): SearchSpace {
    return {}
  }

  sampleRelative(): ParamValues {
    return {}
  }

  abstract sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue
}
