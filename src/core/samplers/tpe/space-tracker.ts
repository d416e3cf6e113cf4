import { type Distribution, type SearchSpace, sameDistribution } from '../../distributions/distribution.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'

/**
 * Keeps the intersection search space and its group decomposition up to date incrementally. Finished trials
 * never change, so each one is folded in once; asking trial 1000 costs only the trials finished since the last ask.
 *
 * - intersection: the parameters every COMPLETE / PRUNED trial has, with the same distribution;
 * - groups (Optuna's `_GroupDecomposedSearchSpace`): a partition of all parameters ever seen such that the
 *   parameters of one group always appear together, so each group can be modelled jointly on the trials that
 *   have it — the multivariate model of a conditional space.
 */
export class SpaceTracker {
  private readonly seen = new Set<number>()
  private studyId: number | undefined
  private intersection: Record<string, Distribution> | undefined
  private groups: Record<string, Distribution>[] = []

  /** Folds in the finished trials of `history` not seen before. */
  update(studyId: number, history: readonly FrozenTrial[]): void {
    if (studyId !== this.studyId) {
      this.studyId = studyId
      this.seen.clear()
      this.intersection = undefined
      this.groups = []
    }
    for (const t of history) {
      if (!(t.state === 'COMPLETE' || t.state === 'PRUNED') || this.seen.has(t.id)) continue
      this.seen.add(t.id)
      this.addToIntersection(t.distributions)
      this.addToGroups(t.distributions)
    }
  }

  private addToIntersection(dists: Readonly<Record<string, Distribution>>): void {
    if (this.intersection === undefined) {
      this.intersection = { ...dists }
      return
    }
    for (const name of Object.keys(this.intersection)) {
      const d = dists[name]
      if (d === undefined || (d !== this.intersection[name] && !sameDistribution(d, this.intersection[name])))
        delete this.intersection[name]
    }
  }

  private addToGroups(dists: Readonly<Record<string, Distribution>>): void {
    const rest = new Set(Object.keys(dists))
    const next: Record<string, Distribution>[] = []
    for (const g of this.groups) {
      const inside: Record<string, Distribution> = {}
      const outside: Record<string, Distribution> = {}
      for (const name of Object.keys(g)) {
        if (rest.has(name)) inside[name] = g[name]
        else outside[name] = g[name]
      }
      next.push(inside, outside)
      for (const name of Object.keys(g)) rest.delete(name)
    }
    next.push(Object.fromEntries([...rest].map((n) => [n, dists[n]])))
    this.groups = next.filter((g) => Object.keys(g).length > 0)
  }

  /** The intersection space, names sorted. */
  intersectionSpace(): SearchSpace {
    const s = this.intersection ?? {}
    return Object.fromEntries(
      Object.keys(s)
        .sort()
        .map((k) => [k, s[k]]),
    )
  }

  /** The groups, each with sorted names. */
  groupSpaces(): SearchSpace[] {
    return this.groups.map((g) =>
      Object.fromEntries(
        Object.keys(g)
          .sort()
          .map((k) => [k, g[k]]),
      ),
    )
  }
}
