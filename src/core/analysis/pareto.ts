import type { Direction, FrozenTrial } from '../trial/frozen-trial.ts'

/** True when `a` is at least as good as `b` in every objective and strictly better in one. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  let strictly = false
  for (let i = 0; i < directions.length; i++) {
    const sign = directions[i] === 'minimize' ? 1 : -1
    const da = sign * a[i]
    const db = sign * b[i]
    if (da > db) return false
    if (da < db) strictly = true
  }
  return strictly
}

/** Whether a trial satisfies its constraints (stored as system attribute `constraints`: feasible when all <= 0). */
export function isFeasible(t: FrozenTrial): boolean {
  return constraintViolation(t) === 0
}

/** A COMPLETE trial that broke a constraint: counted and shown as infeasible, never the best, no scheduler's yardstick. */
export function isInfeasibleResult(t: FrozenTrial): boolean {
  return t.state === 'COMPLETE' && !isFeasible(t)
}

/**
 * How far a trial is past its constraints: the sum of its positive constraint values, 0 when feasible, +Infinity
 * when one of them is not a number or NaN (a constraint that could not be checked counts as broken).
 */
export function constraintViolation(t: FrozenTrial): number {
  const c = t.systemAttrs.constraints
  if (!Array.isArray(c)) return 0
  let v = 0
  for (const x of c) {
    if (typeof x !== 'number' || Number.isNaN(x)) return Number.POSITIVE_INFINITY
    if (x > 0) v += x
  }
  return v
}

/** The COMPLETE, feasible trials that no other such trial dominates, ordered by trial number. */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly Direction[]): FrozenTrial[] {
  const done = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && isFeasible(t))
  return done
    .filter((t) => !done.some((o) => o !== t && dominates(o.values!, t.values!, directions)))
    .sort((a, b) => a.number - b.number)
}

/**
 * The best COMPLETE, feasible trial of a single-objective study (the best value, then the earliest trial).
 * Undefined when none has completed or none meets the constraints (`noBestReason` says which): a trial that breaks
 * a constraint is never the best.
 */
export function bestTrial(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial | undefined {
  let best: FrozenTrial | undefined
  for (const t of trials) {
    if (t.state !== 'COMPLETE' || t.values === null || !isFeasible(t)) continue
    if (best === undefined) {
      best = t
      continue
    }
    const better = direction === 'minimize' ? t.values[0] < best.values![0] : t.values[0] > best.values![0]
    if (better || (t.values[0] === best.values![0] && t.number < best.number)) best = t
  }
  return best
}

/**
 * Why a study has no best trial (or Pareto front), in plain words; `hint` (e.g. the command that lists why) is added
 * when trials completed but all broke the constraints.
 */
export function noBestReason(trials: readonly FrozenTrial[], hint?: string): string {
  const complete = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null).length
  if (complete === 0) return 'No trial has completed yet.'
  return `No completed trial meets the constraints (${complete} completed, all infeasible)${hint ? `: ${hint}` : ''}.`
}
