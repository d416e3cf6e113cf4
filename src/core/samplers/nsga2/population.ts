import type { Json } from '../../json.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'
import { constrainedDominates, crowdingDistance, nonDominatedSort } from './non-dominated-sort.ts'

/** Where a trial's NSGA-II generation lives in its system attributes. */
export const NSGA2_ATTR = 'nsga2'

/** The generation a trial was sampled for (`systemAttrs.nsga2.gen`); trials NSGA-II did not sample count as 0. */
export function generationOf(t: FrozenTrial): number {
  const tag = t.systemAttrs[NSGA2_ATTR] as Json
  if (tag !== null && typeof tag === 'object' && !Array.isArray(tag)) {
    const g = (tag as Record<string, Json>).gen
    if (typeof g === 'number' && Number.isInteger(g) && g >= 0) return g
  }
  return 0
}

const usable = (t: FrozenTrial) => t.state === 'COMPLETE' && t.values !== null

/**
 * The generation a new trial belongs to: the first one with fewer than `popsize` COMPLETE trials. Derived from
 * the tags alone, so every worker agrees.
 */
export function currentGeneration(history: readonly FrozenTrial[], popsize: number): number {
  const counts = new Map<number, number>()
  for (const t of history) if (usable(t)) counts.set(generationOf(t), (counts.get(generationOf(t)) ?? 0) + 1)
  let g = 0
  while ((counts.get(g) ?? 0) >= popsize) g++
  return g
}

/** A member of a parent population with its non-domination rank and crowding distance. */
export interface Ranked {
  readonly trial: FrozenTrial
  readonly rank: number
  readonly crowding: number
}

/** Ranks trials by constrained non-domination, with crowding distance inside each front. */
export function rankTrials(trials: readonly FrozenTrial[], directions: readonly Direction[]): Ranked[][] {
  const fronts = nonDominatedSort(trials.length, (i, j) => constrainedDominates(trials[i], trials[j], directions))
  return fronts.map((front, rank) => {
    const members = front.map((i) => trials[i])
    const crowd = crowdingDistance(members.map((t) => t.values!.map((v, k) => (directions[k] === 'minimize' ? v : -v))))
    return members.map((trial, k) => ({ trial, rank, crowding: crowd[k] }))
  })
}

/** The best `size` trials by front, then by crowding distance (ties: lower trial number). */
export function eliteSelect(trials: readonly FrozenTrial[], size: number, directions: readonly Direction[]): Ranked[] {
  const out: Ranked[] = []
  for (const front of rankTrials(trials, directions)) {
    if (out.length + front.length <= size) {
      out.push(...front)
      continue
    }
    const byCrowding = [...front].sort((a, b) => b.crowding - a.crowding || a.trial.number - b.trial.number)
    out.push(...byCrowding.slice(0, size - out.length))
    break
  }
  return out
}

/**
 * The parents of generation `gen` (≥ 1): P₁ = elite(C₀), P_{k+1} = elite(P_k ∪ C_k), where C_k are the COMPLETE
 * trials of generation k. Rebuilt from history at every ask.
 */
export function parentPopulation(
  history: readonly FrozenTrial[],
  gen: number,
  popsize: number,
  directions: readonly Direction[],
): Ranked[] {
  const byGen = new Map<number, FrozenTrial[]>()
  for (const t of history) {
    if (!usable(t)) continue
    const g = generationOf(t)
    if (g >= gen) continue
    const list = byGen.get(g)
    if (list) list.push(t)
    else byGen.set(g, [t])
  }
  let parents: Ranked[] = []
  for (let g = 0; g < gen; g++) {
    const pool = [...parents.map((r) => r.trial), ...(byGen.get(g) ?? [])]
    parents = eliteSelect(pool, popsize, directions)
  }
  // Re-rank within the final population so tournament ranks refer to the parents themselves.
  return rankTrials(
    parents.map((r) => r.trial),
    directions,
  ).flat()
}
