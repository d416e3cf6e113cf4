/**
 * One seed of the focus benchmark: an unfocused TPE run of first + second trials, and focused follow-ups that take
 * its first `first` trials, rank the parameters by fANOVA, and run `second` TPE trials over `focusSpace`.
 */
import { focusSpace } from '../../src/core/analysis/focus.ts'
import { fanovaImportance } from '../../src/core/analysis/importance/fanova.ts'
import { pedAnovaImportance } from '../../src/core/analysis/importance/ped-anova.ts'
import {
  containsValue,
  finiteValues,
  isSingleValued,
  type SearchSpace,
} from '../../src/core/distributions/distribution.ts'
import { samplePrior } from '../../src/core/distributions/sample-prior.ts'
import { createRng, deriveSeed } from '../../src/core/rng.ts'
import { AutoSampler } from '../../src/core/samplers/auto-sampler.ts'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import { TpeSampler } from '../../src/core/samplers/tpe/tpe-sampler.ts'
import { Study } from '../../src/core/study/study.ts'
import type { FrozenTrial } from '../../src/core/trial/frozen-trial.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import type { BenchProblem } from '../problems/index.ts'

/** A focus setting: how many parameters stay free and which top share of trials sets the ranges. */
export interface FocusVariant {
  readonly keep: number
  readonly quantile: number
  /** How parameters are ranked. @default 'fanova' */
  readonly method?: 'fanova' | 'ped-anova' | 'fanova-clipped'
  /** Seed the follow-up with the first run's trials that lie in the focused ranges (fixed values substituted). */
  readonly warm?: boolean
  /**
   * Continue the first run's study: the follow-up's sampler sees the first run's trials as they were (their own
   * values, the original space), as a user who narrows the space of the same study gets.
   */
  readonly continued?: boolean
}

/** What one seed gives: final regrets per arm and the parameters fANOVA kept. */
export interface SeedResult {
  readonly seed: number
  /** Regret (clean value of the best observed trial − f*) after `first` trials of the unfocused run. */
  readonly regretAtFirst: number
  /** After first + second unfocused trials. */
  readonly unfocused: number
  /** Per variant label: after first unfocused + second focused trials (best over both phases). */
  readonly focused: Record<string, number>
  /** Per variant label: best over the focused phase only. */
  readonly focusedPhaseOnly: Record<string, number>
  /** Per variant label: regret of the best of 2000 random points of the focused space (what focusing leaves). */
  readonly floor: Record<string, number>
  /** fANOVA ranking after `first` trials (top 5). */
  readonly ranking: string[]
}

interface Best {
  observed: number
  clean: number
}

/** The sampler both arms use: the anchor-style TPE, or Winnow's default (`auto`: GP on these flat spaces). */
export type FocusSamplerName = 'tpe' | 'auto' | 'random'
let samplerName: FocusSamplerName = 'tpe'
export function useSampler(name: FocusSamplerName): void {
  samplerName = name
}

async function runTpe(
  problem: BenchProblem,
  space: SearchSpace,
  seed: number,
  trials: number,
  onTrial: (observed: number, clean: number, n: number) => void,
  prior: readonly FrozenTrial[] = [],
  history: { readonly space: SearchSpace; readonly trials: readonly FrozenTrial[] } | undefined = undefined,
): Promise<FrozenTrial[]> {
  const study = await Study.create({
    storage: new MemoryStorage(),
    name: 'focus-bench',
    sampler:
      samplerName === 'auto'
        ? new AutoSampler({ seed })
        : samplerName === 'random'
          ? new RandomSampler()
          : new TpeSampler(),
    seed,
  })
  for (const p of history?.trials ?? []) {
    await study.enqueue(p.params)
    const t = await study.ask(history!.space)
    await study.tell(t, p.values![0])
  }
  for (const p of prior) {
    const params = Object.fromEntries(
      Object.entries(space).map(([k, d]) => [
        k,
        isSingleValued(d) ? (finiteValues(d)?.[0] ?? (d as { low: number }).low) : p.params[k],
      ]),
    )
    if (!Object.entries(space).every(([k, d]) => containsValue(d, params[k]))) continue
    await study.enqueue(params)
    const t = await study.ask(space)
    await study.tell(t, p.values![0])
  }
  for (let n = 0; n < trials; n++) {
    const trial = await study.ask(space)
    const e = problem.evaluate(trial.suggested, seed)
    await study.tell(trial, e.observed)
    onTrial(e.observed, e.clean, n)
  }
  return [...(await study.trials())]
}

const better = (b: Best, observed: number, clean: number): Best => (observed < b.observed ? { observed, clean } : b)

/** Runs one seed: the unfocused run, then each focus variant from its first `first` trials. */
export async function runSeed(
  problem: BenchProblem,
  seed: number,
  first: number,
  second: number,
  variants: readonly FocusVariant[],
): Promise<SeedResult> {
  let best: Best = { observed: Number.POSITIVE_INFINITY, clean: Number.POSITIVE_INFINITY }
  let atFirst = best
  const all = await runTpe(problem, problem.space, seed, first + second, (o, c, n) => {
    best = better(best, o, c)
    if (n === first - 1) atFirst = best
  })
  // TPE is deterministic for a seed, so the first `first` trials are exactly what a focused user would have seen.
  const phase1 = all.slice(0, first)
  const rankings = {
    fanova: fanovaImportance(phase1, { seed, space: problem.space }),
    'ped-anova': pedAnovaImportance(phase1, { space: problem.space }),
    'fanova-clipped': fanovaImportance(clipAtMedian(phase1), { seed, space: problem.space }),
  }
  const ranked = rankings.fanova
  const focused: Record<string, number> = {}
  const phaseOnly: Record<string, number> = {}
  const floor: Record<string, number> = {}
  for (const v of variants) {
    const f = focusSpace(problem.space, phase1, rankings[v.method ?? 'fanova'], v)
    floor[label(v)] = floorOf(problem, f.space, seed)
    let b2 = atFirst
    let only: Best = { observed: Number.POSITIVE_INFINITY, clean: Number.POSITIVE_INFINITY }
    await runTpe(
      problem,
      f.space,
      deriveSeed(seed, 1),
      second,
      (o, c) => {
        b2 = better(b2, o, c)
        only = better(only, o, c)
      },
      v.warm ? phase1.filter((t) => t.state === 'COMPLETE') : [],
      v.continued ? { space: problem.space, trials: phase1.filter((t) => t.state === 'COMPLETE') } : undefined,
    )
    focused[label(v)] = b2.clean - problem.fstar
    phaseOnly[label(v)] = only.clean - problem.fstar
  }
  return {
    seed,
    regretAtFirst: atFirst.clean - problem.fstar,
    unfocused: best.clean - problem.fstar,
    focused,
    focusedPhaseOnly: phaseOnly,
    floor,
    ranking: ranked.slice(0, 5).map((e) => e.param),
  }
}

/** The best clean value among 2000 seeded random points of `space` (plus the best trial), as regret. */
function floorOf(problem: BenchProblem, space: SearchSpace, seed: number): number {
  const rng = createRng(deriveSeed(seed, 2))
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 2000; i++) {
    const p = Object.fromEntries(Object.entries(space).map(([k, d]) => [k, samplePrior(d, rng)]))
    best = Math.min(best, problem.evaluate(p, seed).clean)
  }
  return best - problem.fstar
}

/** `keep 3, q 0.2` */
export function label(v: FocusVariant): string {
  return `keep ${v.keep}, q ${v.quantile}${v.method ? `, ${v.method}` : ''}${v.warm ? ', warm' : ''}${v.continued ? ', continued' : ''}`
}

/** The trials with every value above the median replaced by the median: importance among the better half. */
function clipAtMedian(trials: readonly FrozenTrial[]): FrozenTrial[] {
  const vs = trials
    .filter((t) => t.values !== null)
    .map((t) => t.values![0])
    .sort((a, b) => a - b)
  const m = vs[vs.length >> 1]
  return trials.map((t) => (t.values === null ? t : { ...t, values: [Math.min(t.values[0], m)] }))
}
