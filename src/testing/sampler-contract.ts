import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  containsValue,
  type Distribution,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../core/distributions/distribution.ts'
import type { Sampler, SamplingContext } from '../core/samplers/sampler.ts'
import type { ObjectiveResult } from '../core/study/optimize.ts'
import { Study } from '../core/study/study.ts'
import { type Trial, TrialPruned } from '../core/study/trial.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'

/**
 * What a sampler can do, which decides the cases it must pass:
 * - `relative`: proposes joint samples through `sampleRelative` once trials have completed;
 * - `multiObjective`: handles studies with several directions (others need only not to break);
 * - `constraints`: reads constraint values (`tell(..., { constraints })`);
 * - `finite`: hands out a fixed set of points (grid); such a sampler is created over `CONTRACT_SPACE`.
 */
export type SamplerCapability = 'relative' | 'multiObjective' | 'constraints' | 'finite'

/** How the contract gets the sampler to test. */
export interface SamplerContractOptions {
  /** A fresh sampler; `seed` is also the study seed, for samplers that take their own. */
  readonly create: (seed?: number) => Sampler
  readonly capabilities: readonly SamplerCapability[]
  /** Skips the whole suite; a string is printed as the reason. */
  readonly skip?: boolean | string
}

/** Every kind of distribution, with categorical choices of mixed types. Finite samplers are built over it. */
export const CONTRACT_SPACE: SearchSpace = {
  f: { kind: 'float', low: -2, high: 3, log: false },
  flog: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  fstep: { kind: 'float', low: 0, high: 1, log: false, step: 0.1 },
  i: { kind: 'int', low: -3, high: 7, log: false, step: 1 },
  ilog: { kind: 'int', low: 1, high: 1024, log: true, step: 1 },
  istep: { kind: 'int', low: 2, high: 20, log: false, step: 3 },
  cat: { kind: 'categorical', choices: ['a', 1, 2.5, true, null] },
}

/** A smooth objective over CONTRACT_SPACE, so model-based samplers have something to learn. */
function contractObjective(p: ParamValues): number {
  const num = (k: string) => p[k] as number
  const cat = p.cat === 1 ? 0 : p.cat === null ? 0.5 : 1
  return (
    (num('f') - 0.5) ** 2 +
    (Math.log10(num('flog')) + 3) ** 2 +
    (num('fstep') - 0.3) ** 2 +
    ((num('i') - 2) / 5) ** 2 +
    Math.abs(Math.log2(num('ilog')) - 4) / 5 +
    ((num('istep') - 11) / 9) ** 2 +
    cat
  )
}

let studySeq = 0

async function newStudy(sampler: Sampler, seed: number, directions: Direction[] = ['minimize']): Promise<Study> {
  return Study.create({
    storage: new MemoryStorage(),
    name: `sampler-contract-${studySeq++}`,
    sampler,
    seed,
    directions,
  })
}

function assertLegal(trials: readonly FrozenTrial[], space: SearchSpace = CONTRACT_SPACE): void {
  for (const t of trials)
    for (const [name, d] of Object.entries(space)) {
      if (!Object.hasOwn(t.params, name)) continue
      const v = t.params[name]
      assert.ok(containsValue(d, v), `trial #${t.number}: ${name}=${JSON.stringify(v)} is outside ${JSON.stringify(d)}`)
      if (d.kind === 'int') assert.ok(Number.isInteger(v), `trial #${t.number}: ${name}=${v} is not an integer`)
    }
}

/** Runs `n` trials asked with the whole space up front. */
async function runSpace(
  study: Study,
  n: number,
  space: SearchSpace,
  objective: (p: ParamValues, t: Trial) => ObjectiveResult,
): Promise<readonly FrozenTrial[]> {
  for (let k = 0; k < n; k++) {
    const t = await study.ask(space)
    await study.tell(t, objective(t.suggested, t))
  }
  return study.trials()
}

/** Wraps a sampler to record which parameters its relative samples covered. */
function spyRelative(inner: Sampler): { sampler: Sampler; relativeKeys: string[][] } {
  const relativeKeys: string[][] = []
  const sampler: Sampler = {
    name: inner.name,
    inferRelativeSpace: (ctx) => inner.inferRelativeSpace(ctx),
    sampleRelative: (ctx: SamplingContext, space: SearchSpace) => {
      const out = inner.sampleRelative(ctx, space)
      relativeKeys.push(Object.keys(out))
      return out
    },
    sampleIndependent: (ctx: SamplingContext, name: string, d: Distribution): ParamValue =>
      inner.sampleIndependent(ctx, name, d),
  }
  return { sampler, relativeKeys }
}

/**
 * Registers the sampler contract: one node:test per guarantee every sampler keeps, selected by capability, each
 * run through a real `Study` over an in-memory storage (Optuna's `BasicSamplerTestCase` and friends, in one
 * suite). A finite sampler is checked on its own terms: every point once, nothing outside `CONTRACT_SPACE`.
 */
export function describeSamplerContract(name: string, opts: SamplerContractOptions): void {
  const has = (c: SamplerCapability) => opts.capabilities.includes(c)
  describe(`Sampler contract: ${name}`, { skip: opts.skip }, () => {
    if (has('finite')) {
      describeFinite(opts)
      return
    }

    test('every distribution kind stays in bounds and on its grid for 64 trials', async () => {
      const study = await newStudy(opts.create(1), 1)
      const trials = await runSpace(study, 64, CONTRACT_SPACE, contractObjective)
      assert.equal(trials.length, 64)
      assertLegal(trials)
      for (const t of trials) assert.deepEqual(Object.keys(t.params).sort(), Object.keys(CONTRACT_SPACE).sort())
      // Not stuck on one value: a sampler that proposes one point forever is broken even if the point is legal.
      assert.ok(new Set(trials.map((t) => t.params.f)).size > 10, 'fewer than 10 distinct values of f in 64 trials')
    })

    test('the same seed gives the same sequence, another seed another one', async () => {
      const run = async (seed: number) => {
        const trials = await runSpace(await newStudy(opts.create(seed), seed), 24, CONTRACT_SPACE, contractObjective)
        return trials.map((t) => t.params)
      }
      const a = await run(5)
      assert.deepEqual(await run(5), a)
      assert.notDeepEqual(await run(6), a)
    })

    test('works on an empty history, define-by-run', async () => {
      const study = await newStudy(opts.create(2), 2)
      const t = await study.ask()
      for (const [n, d] of Object.entries(CONTRACT_SPACE)) t.suggest(n, d)
      await study.tell(t, contractObjective(t.suggested))
      assertLegal(await study.trials())
    })

    test('FAIL, PRUNED and NaN trials in the history do not break it', async () => {
      const study = await newStudy(opts.create(3), 3)
      await study.optimize(
        (t) => {
          const p: Record<string, ParamValue> = {}
          for (const [n, d] of Object.entries(CONTRACT_SPACE)) p[n] = t.suggest(n, d)
          if (t.number % 5 === 1) throw new Error('objective crashed')
          if (t.number % 5 === 2) throw new TrialPruned()
          if (t.number % 5 === 3) return Number.NaN
          return contractObjective(p)
        },
        { trials: 40, catchErrors: true },
      )
      const trials = await study.trials()
      assertLegal(trials)
      const count = (s: string) => trials.filter((t) => t.state === s).length
      assert.equal(count('COMPLETE'), 16)
      assert.equal(count('PRUNED'), 8)
      assert.equal(count('FAIL'), 16)
    })

    test('conditional parameters work', async () => {
      const study = await newStudy(opts.create(4), 4)
      const xa: Distribution = { kind: 'float', low: 0, high: 1, log: false }
      const nb: Distribution = { kind: 'int', low: 1, high: 5, log: false, step: 1 }
      await study.optimize(
        (t) => {
          const branch = t.suggestCategorical('branch', ['a', 'b'])
          if (branch === 'a') return (t.suggest('xa', xa) as number) ** 2
          return 1 + (t.suggest('nb', nb) as number) / 10 + t.suggestFloat('shared', 0, 1)
        },
        { trials: 40 },
      )
      const trials = await study.trials()
      assertLegal(trials, { branch: { kind: 'categorical', choices: ['a', 'b'] }, xa, nb })
      for (const t of trials) assert.ok(t.params.branch === 'a' ? 'xa' in t.params : 'nb' in t.params)
      assert.ok(trials.some((t) => t.params.branch === 'a') && trials.some((t) => t.params.branch === 'b'))
    })

    test('single-valued distributions return their only value', async () => {
      const study = await newStudy(opts.create(6), 6)
      const space: SearchSpace = {
        one: { kind: 'float', low: 0.5, high: 0.5, log: false },
        oneInt: { kind: 'int', low: 3, high: 3, log: false, step: 1 },
        oneStep: { kind: 'float', low: 0, high: 0.05, log: false, step: 0.1 },
        oneCat: { kind: 'categorical', choices: ['only'] },
        x: { kind: 'float', low: 0, high: 1, log: false },
      }
      const trials = await runSpace(study, 24, space, (p) => ((p.x as number) - 0.3) ** 2)
      for (const t of trials) {
        assert.equal(t.params.one, 0.5)
        assert.equal(t.params.oneInt, 3)
        assert.equal(t.params.oneStep, 0)
        assert.equal(t.params.oneCat, 'only')
      }
      assertLegal(trials, space)
    })

    test(
      has('multiObjective') ? 'multi-objective studies work' : 'multi-objective studies do not break it',
      async () => {
        const study = await newStudy(opts.create(7), 7, ['minimize', 'maximize'])
        const trials = await runSpace(study, 40, CONTRACT_SPACE, (p) => [contractObjective(p), p.f as number])
        assertLegal(trials)
        assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 40)
        assert.ok((await study.paretoFront()).length >= 1)
      },
    )

    test('constraint values in the history do not break it', { skip: !has('constraints') }, async () => {
      const study = await newStudy(opts.create(8), 8)
      for (let k = 0; k < 40; k++) {
        const t = await study.ask(CONTRACT_SPACE)
        const p = t.suggested
        await study.tell(t, contractObjective(p), { constraints: [(p.f as number) - 1] })
      }
      const trials = await study.trials()
      assertLegal(trials)
      assert.ok(
        trials.some((t) => (t.params.f as number) <= 1),
        'no feasible trial in 40',
      )
    })

    test('proposes relative samples once trials have completed', { skip: !has('relative') }, async () => {
      const { sampler, relativeKeys } = spyRelative(opts.create(9))
      const study = await newStudy(sampler, 9)
      const trials = await runSpace(study, 40, CONTRACT_SPACE, contractObjective)
      assertLegal(trials)
      assert.ok(
        relativeKeys.some((k) => k.length > 0),
        `sampleRelative never returned a value in 40 trials (${relativeKeys.length} calls)`,
      )
    })
  })
}

/** The cases for a finite sampler created over CONTRACT_SPACE. */
function describeFinite(opts: SamplerContractOptions): void {
  test('hands out every point once, inside the space, then is exhausted', async () => {
    const sampler = opts.create(1)
    const size = sampler.pointsToQueue?.([]).length ?? 0
    assert.ok(size > 0, 'a finite sampler must queue its points')
    const study = await newStudy(sampler, 1)
    await study.optimize(
      (t) => {
        for (const [n, d] of Object.entries(CONTRACT_SPACE)) t.suggest(n, d)
        return contractObjective(t.suggested)
      },
      { trials: size + 5 },
    )
    const trials = await study.trials()
    assert.equal(trials.length, size)
    assertLegal(trials)
    assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, size)
    assert.equal(sampler.isExhausted?.(trials), true)
  })

  test('parallel workers never get the same point, and FAIL trials count as handed out', async () => {
    const sampler = opts.create(2)
    const size = sampler.pointsToQueue?.([]).length ?? 0
    const study = await newStudy(sampler, 2, ['minimize', 'maximize'])
    await study.optimize(
      async (t) => {
        await Promise.resolve()
        for (const [n, d] of Object.entries(CONTRACT_SPACE)) t.suggest(n, d)
        if (t.number % 7 === 0) throw new Error('crash')
        return [contractObjective(t.suggested), t.suggested.f as number]
      },
      { trials: size + 5, concurrency: 4, catchErrors: true },
    )
    const trials = await study.trials()
    assert.equal(trials.length, size)
    assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, size)
  })
}
