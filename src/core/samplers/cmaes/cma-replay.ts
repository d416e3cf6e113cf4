import { isFeasible, constraintViolation as violation } from '../../analysis/pareto.ts'
import type { Json } from '../../json.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'
import { CategoricalModel } from './categorical-model.ts'
import { Cma, defaultPopulationSize } from './cma.ts'
import { Margin } from './margin.ts'
import type { UnitSpace } from './unit-space.ts'

/** Where a trial's CMA-ES bookkeeping lives in its system attributes. */
export const CMA_ATTR = 'cmaes'

/** How a run (one CMA-ES instance between restarts) starts. */
export interface RunInit {
  readonly mean: readonly number[]
  readonly sigma: number
  readonly popsize: number
  /** Initial categorical probabilities, one row per categorical parameter. */
  readonly q?: readonly (readonly number[])[]
}

/**
 * What CMA-ES writes on every trial it samples (`systemAttrs.cmaes`): the space fingerprint, the run and
 * generation the sample belongs to, the raw vector before rounding (the update needs it), the categorical
 * choices, and on the first trial of a run how the run starts. From these tags alone any worker rebuilds the
 * same state, so no sampler state is ever stored or shared.
 */
export interface CmaTag {
  readonly key: string
  readonly run: number
  readonly gen: number
  readonly x: readonly number[]
  readonly c: readonly number[]
  readonly init?: RunInit
}

/** A live run rebuilt from history. */
export interface CmaRun {
  readonly run: number
  readonly init: RunInit
  readonly cma: Cma
  readonly margin: Margin | undefined
  readonly cat: CategoricalModel | undefined
}

/** The result of a replay: the current run, or the number of the run that still has to be started. */
export type ReplayResult = { readonly state: CmaRun } | { readonly needsRun: number }

/** Reads a trial's tag when it belongs to the space `key`. */
export function readTag(t: FrozenTrial, key: string): CmaTag | undefined {
  const tag = t.systemAttrs[CMA_ATTR] as Json
  if (tag === null || typeof tag !== 'object' || Array.isArray(tag)) return undefined
  const o = tag as unknown as CmaTag
  return o.key === key && Array.isArray(o.x) && Array.isArray(o.c) ? o : undefined
}

/**
 * A score to rank by (lower is better): the signed objective for feasible trials, +∞ for infeasible ones, which
 * `rankOrder` then orders by total violation.
 */
export function score(t: FrozenTrial, direction: Direction): number {
  if (!isFeasible(t)) return Number.POSITIVE_INFINITY
  return direction === 'minimize' ? t.values![0] : -t.values![0]
}

/** Sorts trials best first: feasible by objective, then infeasible by total violation, then by number. */
export function rankOrder(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial[] {
  return [...trials].sort(
    (a, b) => score(a, direction) - score(b, direction) || violation(a) - violation(b) || a.number - b.number,
  )
}

/** Starts a run from its init. */
export function startRun(run: number, init: RunInit, space: UnitSpace, withMargin: boolean): CmaRun {
  const cma = new Cma({ mean: init.mean, sigma: init.sigma, populationSize: init.popsize })
  const coords = withMargin
    ? space.numeric.flatMap((p, index) => (p.grid !== undefined ? [{ index, values: p.grid }] : []))
    : []
  const margin = coords.length > 0 ? new Margin(space.n, init.popsize, coords) : undefined
  const sizes = space.categorical.map((p) => p.dist.choices.length)
  const cat = sizes.length > 0 ? new CategoricalModel(sizes, init.popsize, init.q) : undefined
  return { run, init, cma, margin, cat }
}

/** A replayed state and what it was built from, so the next ask can continue from it instead of from scratch. */
export interface ReplayCache {
  readonly key: string
  /** Per run, the number of the trial whose init started it. */
  readonly inits: readonly number[]
  /** The generations told so far: their run, generation and the trial numbers used. */
  readonly told: readonly { readonly group: string; readonly numbers: readonly number[] }[]
  readonly state: CmaRun
}

/**
 * Rebuilds the CMA-ES state from the trials CMA-ES sampled: a generation is told once `popsize` of its trials
 * are COMPLETE (the lowest-numbered ones, so every worker picks the same), and a run that meets a termination
 * test is followed by the next (IPOP: the next run's population is larger; its init is on its first trial).
 * With `cache` from the previous call it continues from there when the history still agrees with it (finished
 * trials never change, so it almost always does), which keeps each ask O(new generations).
 */
export function replay(
  history: readonly FrozenTrial[],
  space: UnitSpace,
  direction: Direction,
  opts: { readonly withMargin: boolean; readonly restart: boolean },
  cache?: ReplayCache,
): { result: ReplayResult; cache?: ReplayCache } {
  const groups = new Map<string, { t: FrozenTrial; tag: CmaTag }[]>()
  const inits = new Map<number, { number: number; init: RunInit }>()
  for (const t of history) {
    const tag = readTag(t, space.key)
    if (tag === undefined) continue
    const first = inits.get(tag.run)
    if (tag.init !== undefined && (first === undefined || t.number < first.number))
      inits.set(tag.run, { number: t.number, init: tag.init })
    if (t.state !== 'COMPLETE' || t.values === null) continue
    const g = `${tag.run}:${tag.gen}`
    const list = groups.get(g)
    if (list) list.push({ t, tag })
    else groups.set(g, [{ t, tag }])
  }
  for (const list of groups.values()) list.sort((a, b) => a.t.number - b.t.number)

  let state: CmaRun
  let told: { group: string; numbers: number[] }[]
  let initNumbers: number[]
  const valid =
    cache !== undefined &&
    cache.key === space.key &&
    cache.inits.every((n, run) => inits.get(run)?.number === n) &&
    cache.told.every((e) => {
      const now = groups.get(e.group)
      return now !== undefined && e.numbers.every((n, k) => now[k]?.t.number === n)
    })
  if (valid) {
    state = cache.state
    told = [...cache.told] as { group: string; numbers: number[] }[]
    initNumbers = [...cache.inits]
  } else {
    const first = inits.get(0)
    if (first === undefined) return { result: { needsRun: 0 } }
    state = startRun(0, first.init, space, opts.withMargin)
    told = []
    initNumbers = [first.number]
  }
  for (;;) {
    const group = `${state.run}:${state.cma.generation}`
    const lambda = state.cma.popsize
    const done = (groups.get(group) ?? []).slice(0, lambda)
    if (done.length < lambda) break
    const tagOf = new Map(done.map((e) => [e.t, e.tag]))
    const ranked = rankOrder(
      done.map((e) => e.t),
      direction,
    )
    // `Cma.tell` sorts stably, so infeasible solutions (score +∞) keep the violation order given here.
    state.cma.tell(ranked.map((t) => ({ x: tagOf.get(t)!.x, value: score(t, direction) })))
    state.margin?.correct(state.cma)
    state.cat?.tell(ranked.map((t, rank) => ({ c: tagOf.get(t)!.c, value: rank })))
    told.push({ group, numbers: done.map((e) => e.t.number) })
    if (!opts.restart || !state.cma.shouldStop()) continue
    const next = inits.get(state.run + 1)
    if (next === undefined) return { result: { needsRun: state.run + 1 } }
    state = startRun(state.run + 1, next.init, space, opts.withMargin)
    initNumbers.push(next.number)
  }
  return { result: { state }, cache: { key: space.key, inits: initNumbers, told, state } }
}

/** The population size of run `run` under IPOP (doubling per restart by default). */
export function runPopsize(base: number | undefined, dims: number, run: number, inc: number): number {
  return Math.round((base ?? defaultPopulationSize(dims)) * inc ** run)
}
