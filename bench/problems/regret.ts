/**
 * Incumbent and regret as PROBLEMS.md §0 defines them: the incumbent after k trials is the trial with the lowest
 * observed value among the first k (ties: the earlier trial); its regret is clean(incumbent) − f*.
 * A NaN observed value (a failed trial) never becomes the incumbent.
 */

/** One finished trial as the benchmark sees it. */
export interface Observation {
  readonly observed: number
  readonly clean: number
}

/** The incumbent of a run: its index in the trial list and its values. */
export interface Incumbent extends Observation {
  readonly index: number
}

/** The incumbent among the first `k` trials (default all), or undefined when none has a comparable value. */
export function incumbent(trials: readonly Observation[], k = trials.length): Incumbent | undefined {
  let best = -1
  let bestObs = Number.POSITIVE_INFINITY
  for (let i = 0; i < Math.min(k, trials.length); i++) {
    if (trials[i].observed < bestObs) {
      best = i
      bestObs = trials[i].observed
    }
  }
  return best < 0 ? undefined : { index: best, observed: trials[best].observed, clean: trials[best].clean }
}

/** Regret of the incumbent after `k` trials (default all): clean(incumbent) − fstar; Infinity when there is none. */
export function regret(trials: readonly Observation[], fstar: number, k = trials.length): number {
  const inc = incumbent(trials, k)
  return inc === undefined ? Number.POSITIVE_INFINITY : inc.clean - fstar
}

/**
 * The incumbent's observed and clean values after each trial k = 1..n (index k − 1), like the anchor's
 * `best_observed` / `best_clean` lists (Infinity before the first comparable trial).
 */
export function incumbentTrajectory(trials: readonly Observation[]): { observed: number[]; clean: number[] } {
  const observed: number[] = []
  const clean: number[] = []
  let bo = Number.POSITIVE_INFINITY
  let bc = Number.POSITIVE_INFINITY
  for (const t of trials) {
    if (t.observed < bo) {
      bo = t.observed
      bc = t.clean
    }
    observed.push(bo)
    clean.push(bc)
  }
  return { observed, clean }
}

/** Regret after each trial k = 1..n (index k − 1). */
export function regretTrajectory(trials: readonly Observation[], fstar: number): number[] {
  return incumbentTrajectory(trials).clean.map((c) => c - fstar)
}

/**
 * A step-budget trajectory (pruner benchmark): after each trial ends, `[stepsConsumed, bestObserved, bestClean]`
 * of the best completed trial so far (null before the first completion), as in the anchor's pruners.jsonl.
 */
export type StepTrajectory = readonly (readonly [
  steps: number,
  bestObserved: number | null,
  bestClean: number | null,
])[]

/** Regret of the last trajectory point with at most `stepsLimit` steps consumed; Infinity if none has a completion. */
export function regretAtSteps(traj: StepTrajectory, fstar: number, stepsLimit: number): number {
  let best = Number.POSITIVE_INFINITY
  for (const [steps, , bc] of traj) if (steps <= stepsLimit && bc !== null) best = bc - fstar
  return best
}

/** Steps consumed when the regret first fell to ≤ `target`; Infinity if it never did. */
export function stepsToRegret(traj: StepTrajectory, fstar: number, target: number): number {
  for (const [steps, , bc] of traj) if (bc !== null && bc - fstar <= target) return steps
  return Number.POSITIVE_INFINITY
}
