import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import { tidy } from '../distributions/levels.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from './sampler.ts'

/**
 * The points no trial carries yet (as queued `fixedParams` or as its parameters). Points compare on `names` only,
 * numbers to 12 significant digits, so a grid value with floating noise still matches the baseline it equals.
 */
export function pointsNotHandedOut(
  points: readonly ParamValues[],
  names: readonly string[],
  history: readonly FrozenTrial[],
): ParamValues[] {
  const key = (p: ParamValues) =>
    JSON.stringify(names.map((n) => (typeof p[n] === 'number' ? tidy(p[n] as number) : (p[n] ?? null))))
  const seen = new Set(history.map((t) => key((t.systemAttrs.fixedParams as ParamValues | undefined) ?? t.params)))
  return points.filter((p) => !seen.has(key(p)))
}

/**
 * A sampler that is a fixed list of points (grid, one-at-a-time sweep): every point is queued when the study is
 * created or loaded without it (`pointsToQueue`), each is claimed by one worker, and `isExhausted` ends the study
 * once all were handed out. Nothing is sampled jointly; subclasses say what a parameter outside the points gets
 * (`sampleIndependent`).
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

  pointsToQueue(history: readonly FrozenTrial[]): readonly ParamValues[] {
    return pointsNotHandedOut(this.points, this.names, history)
  }

  isExhausted(history: readonly FrozenTrial[]): boolean {
    return pointsNotHandedOut(this.points, this.names, history).length === 0
  }

  inferRelativeSpace(): SearchSpace {
    return {}
  }

  sampleRelative(): ParamValues {
    return {}
  }

  abstract sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue
}
