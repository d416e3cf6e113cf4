import { constraintViolation } from '../../analysis/pareto.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'
import { hypervolumeContributions, referencePoint, selectByHypervolume } from './hypervolume.ts'

/** How a past trial takes part in the model. */
export type TrialRole = 'complete' | 'pruned' | 'running' | 'infeasible'

/** Which trials the model learns from. */
export interface RoleOptions {
  /** RUNNING trials count as bad (constant liar), so parallel workers spread out. */
  readonly constantLiar: boolean
  /** Constraint values and infeasible failures (e.g. out of memory) steer sampling away from such regions. */
  readonly constraintAware: boolean
  /** PRUNED trials are ranked by how far they got. */
  readonly considerPruned: boolean
}

/**
 * Total constraint violation of a trial: the sum of the positive constraint values, +Infinity for a FAIL trial
 * marked `systemAttrs.infeasible === true` (e.g. out of memory) or a constraint value that is not a number, 0 when
 * feasible.
 */
export function violation(t: FrozenTrial): number {
  if (t.state === 'FAIL') return t.systemAttrs.infeasible === true ? Number.POSITIVE_INFINITY : 0
  return constraintViolation(t)
}

/** The role of a trial in the model, or undefined when it is ignored (plain failures, waiting, paused, NaN). */
export function roleOf(t: FrozenTrial, opts: RoleOptions): TrialRole | undefined {
  switch (t.state) {
    case 'RUNNING':
      return opts.constantLiar ? 'running' : undefined
    case 'FAIL':
      return opts.constraintAware && t.systemAttrs.infeasible === true ? 'infeasible' : undefined
    case 'PRUNED':
      if (opts.constraintAware && violation(t) > 0) return 'infeasible'
      return opts.considerPruned ? 'pruned' : undefined
    case 'COMPLETE':
      if (t.values === null || t.values.some((v) => !Number.isFinite(v))) return undefined
      return opts.constraintAware && violation(t) > 0 ? 'infeasible' : 'complete'
    default:
      return undefined
  }
}

/** The good ("below") and bad ("above") trials, each ordered by trial number, and MO weights of the good ones. */
export interface Split {
  readonly below: FrozenTrial[]
  readonly above: FrozenTrial[]
  /** Per below trial (same order), for multi-objective studies: hypervolume-contribution weights. */
  readonly belowWeights?: Float64Array
}

/**
 * Splits trials into the `nBelow` best and the rest, as Optuna's TPE does: complete trials first (by value, or by
 * non-domination rank with a hypervolume tie-break for several objectives), then pruned trials (further step,
 * then better last value), then infeasible trials (smaller violation); RUNNING trials are always bad.
 */
export function splitTrials(
  trials: readonly { trial: FrozenTrial; role: TrialRole }[],
  directions: readonly Direction[],
  nBelow: number,
): Split {
  const groups: Record<TrialRole, FrozenTrial[]> = { complete: [], pruned: [], running: [], infeasible: [] }
  for (const { trial, role } of trials) groups[role].push(trial)
  const signs = directions.map((d) => (d === 'minimize' ? 1 : -1))
  let below: FrozenTrial[] = []
  const above: FrozenTrial[] = [...groups.running]
  const take = (ranked: FrozenTrial[]) => {
    const k = Math.max(0, Math.min(nBelow - below.length, ranked.length))
    below = below.concat(ranked.slice(0, k))
    above.push(...ranked.slice(k))
  }
  if (directions.length === 1) take(sortComplete(groups.complete, signs[0]))
  else {
    const { good, bad } = splitMultiObjective(groups.complete, signs, nBelow)
    below = good
    above.push(...bad)
  }
  take(directions.length === 1 ? sortPruned(groups.pruned, signs[0]) : groups.pruned.slice().sort(byNumber))
  take(
    groups.infeasible
      .map((t) => ({ t, v: violation(t) }))
      .sort((a, b) => a.v - b.v || a.t.number - b.t.number)
      .map((x) => x.t),
  )
  below.sort(byNumber)
  above.sort(byNumber)
  if (directions.length === 1) return { below, above }
  return { below, above, belowWeights: multiObjectiveWeights(below, signs) }
}

const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number

function sortComplete(trials: FrozenTrial[], sign: number): FrozenTrial[] {
  return trials.slice().sort((a, b) => sign * (a.values![0] - b.values![0]) || a.number - b.number)
}

/** Pruned trials: those that reached a later step first, then the better last intermediate value. */
function sortPruned(trials: FrozenTrial[], sign: number): FrozenTrial[] {
  const key = (t: FrozenTrial) => {
    const last = t.intermediate.length > 0 ? t.intermediate[t.intermediate.length - 1] : undefined
    return last === undefined || !Number.isFinite(last.value) ? [1, 0, 0] : [0, -last.step, sign * last.value]
  }
  return trials
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.t.number - b.t.number)
    .map((x) => x.t)
}

/** Losses (minimised) of a multi-objective trial. */
const lossOf = (t: FrozenTrial, signs: readonly number[]) => signs.map((s, i) => s * t.values![i])

/** Whole non-domination fronts while they fit in nBelow, then a hypervolume subset of the next front. */
function splitMultiObjective(trials: FrozenTrial[], signs: readonly number[], nBelow: number) {
  const losses = trials.map((t) => lossOf(t, signs))
  const left = new Set(trials.map((_, i) => i))
  const good: number[] = []
  while (good.length < nBelow && left.size > 0) {
    const front = [...left].filter((i) => ![...left].some((j) => j !== i && dominatesLoss(losses[j], losses[i])))
    if (good.length + front.length <= nBelow) {
      good.push(...front)
      for (const i of front) left.delete(i)
      continue
    }
    const pts = front.map((i) => losses[i])
    const picked = selectByHypervolume(pts, nBelow - good.length, referencePoint(pts))
    for (const p of picked) {
      good.push(front[p])
      left.delete(front[p])
    }
  }
  const goodSet = new Set(good)
  return { good: trials.filter((_, i) => goodSet.has(i)), bad: trials.filter((_, i) => !goodSet.has(i)) }
}

function dominatesLoss(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false
    if (a[i] < b[i]) strictly = true
  }
  return strictly
}

/**
 * Weights of the good trials of a multi-objective study: each feasible complete trial's hypervolume
 * contribution over the largest one (at least 1e-12), so the good density favours trials that widen the front;
 * other good trials (pruned, infeasible) then weigh 1e-12. With fewer than two feasible ones, all weigh 1.
 */
function multiObjectiveWeights(below: readonly FrozenTrial[], signs: readonly number[]): Float64Array {
  const w = new Float64Array(below.length).fill(1)
  const idx = below.map((t, i) => (t.state === 'COMPLETE' && violation(t) === 0 ? i : -1)).filter((i) => i >= 0)
  if (idx.length <= 1) return w
  const pts = idx.map((i) => lossOf(below[i], signs))
  const contrib = hypervolumeContributions(pts, referencePoint(pts))
  let max = 0
  for (const c of contrib) max = Math.max(max, c)
  w.fill(1e-12)
  idx.forEach((i, j) => {
    w[i] = Math.max(contrib[j] / Math.max(max, 1e-12), 1e-12)
  })
  return w
}
