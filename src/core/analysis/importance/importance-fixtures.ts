import type { Distribution, ParamValues, SearchSpace } from '../../distributions/distribution.ts'
import { samplePrior } from '../../distributions/sample-prior.ts'
import { createRng } from '../../rng.ts'
import type { FrozenTrial, StudyId, TrialId } from '../../trial/frozen-trial.ts'

/** A COMPLETE trial snapshot for analysis tests (no storage needed). */
export function completeTrial(
  number: number,
  params: ParamValues,
  value: number,
  distributions: Readonly<Record<string, Distribution>>,
): FrozenTrial {
  return {
    id: number as TrialId,
    studyId: 1 as StudyId,
    number,
    state: 'COMPLETE',
    params,
    distributions,
    values: [value],
    intermediate: [],
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
    heartbeatAt: null,
    version: number,
  }
}

/** `n` random-search trials of `f` over `space`, seeded; `noise` adds seeded Gaussian noise of that s.d. */
export function randomTrials(
  space: SearchSpace,
  f: (p: ParamValues) => number,
  opts: { n: number; seed: number; noise?: number },
): FrozenTrial[] {
  const rng = createRng(opts.seed)
  return Array.from({ length: opts.n }, (_, i) => {
    const p = Object.fromEntries(Object.entries(space).map(([k, d]) => [k, samplePrior(d, rng)]))
    return completeTrial(i, p, f(p) + (opts.noise ?? 0) * rng.normal(), space)
  })
}
