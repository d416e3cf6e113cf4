import { type Distribution, type SearchSpace, sameDistribution } from '../distributions/distribution.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/**
 * The parameters every COMPLETE (and, optionally, PRUNED) trial has with the same distribution — the
 * space a relative sampler can model jointly. Conditional parameters drop out and are sampled independently.
 */
export function intersectionSearchSpace(
  history: readonly FrozenTrial[],
  opts: { includePruned?: boolean } = {},
): SearchSpace {
  let space: Record<string, Distribution> | undefined
  for (const t of history) {
    if (!(t.state === 'COMPLETE' || (opts.includePruned && t.state === 'PRUNED'))) continue
    if (space === undefined) {
      space = { ...t.distributions }
      continue
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name]
      if (d === undefined || !sameDistribution(d, space[name])) delete space[name]
    }
  }
  if (space === undefined) return {}
  // Sorted names give a stable order for samplers that map parameters to vector dimensions.
  return Object.fromEntries(
    Object.keys(space)
      .sort()
      .map((k) => [k, space![k]]),
  )
}
