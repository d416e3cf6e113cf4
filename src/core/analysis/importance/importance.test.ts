import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Distribution, ParamValues, SearchSpace } from '../../distributions/distribution.ts'
import { fanovaImportance } from './fanova.ts'
import { completeTrial, randomTrials } from './importance-fixtures.ts'
import { pedAnovaImportance } from './ped-anova.ts'

const methods = { fanova: fanovaImportance, 'ped-anova': pedAnovaImportance } as const

// 20-D, only x3, x11 and x17 matter.
const space20: SearchSpace = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`x${i}`, { kind: 'float', low: -1, high: 1, log: false } as Distribution]),
)
const f20 = (p: ParamValues) =>
  5 * (p.x3 as number) ** 2 + 3 * Math.sin(3 * (p.x11 as number)) + 2 * Math.abs(p.x17 as number)
const trials20 = randomTrials(space20, f20, { n: 300, seed: 11, noise: 0.01 })

// A log-scale learning rate and a categorical matter; three floats are noise.
const mixedSpace: SearchSpace = {
  lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  optimizer: { kind: 'categorical', choices: ['adamw', 'sgd', 'lion'] },
  batch: { kind: 'int', low: 1, high: 64, log: true, step: 1 },
  a: { kind: 'float', low: 0, high: 1, log: false },
  b: { kind: 'float', low: 0, high: 1, log: false },
  c: { kind: 'int', low: 0, high: 10, log: false, step: 1 },
}
const fMixed = (p: ParamValues) =>
  (Math.log10(p.lr as number) + 3) ** 2 +
  ({ adamw: 0, sgd: 2, lion: 1 } as Record<string, number>)[p.optimizer as string]
const mixedTrials = randomTrials(mixedSpace, fMixed, { n: 200, seed: 5, noise: 0.05 })

const top = (r: { param: string }[], k: number) =>
  r
    .slice(0, k)
    .map((e) => e.param)
    .sort()

for (const [name, importance] of Object.entries(methods)) {
  describe(`${name} importance`, () => {
    test('finds the 3 dimensions that matter out of 20 (300 random trials)', () => {
      const r = importance(trials20, { seed: 0 })
      assert.equal(r.length, 20)
      assert.deepEqual(top(r, 3), ['x11', 'x17', 'x3'], JSON.stringify(r.slice(0, 5)))
      const sum = r.reduce((s, e) => s + e.importance, 0)
      assert.ok(Math.abs(sum - 1) < 1e-9, `importances sum to ${sum}`)
      for (let i = 1; i < r.length; i++) assert.ok(r[i - 1].importance >= r[i].importance)
      // The three take most of the importance, not just the first places.
      const share = r.slice(0, 3).reduce((s, e) => s + e.importance, 0)
      assert.ok(share > 0.6, `top-3 share ${share.toFixed(3)}`)
    })

    test('ranks a log-scale parameter and a categorical first', () => {
      const r = importance(mixedTrials, { seed: 0 })
      assert.deepEqual(top(r, 2), ['lr', 'optimizer'], JSON.stringify(r))
    })

    test('is direction-aware and ignores FAIL, PRUNED and non-finite trials', () => {
      // Maximizing −f is the same problem as minimizing f.
      const negated = mixedTrials.map((t) => ({ ...t, values: [-t.values![0]] }))
      const junk = [
        { ...completeTrial(900, mixedTrials[0].params, 0, mixedSpace), state: 'FAIL' as const, values: null },
        completeTrial(901, mixedTrials[1].params, Number.NaN, mixedSpace),
      ]
      const a = importance(mixedTrials, { seed: 3 })
      const b = importance([...negated, ...junk], { seed: 3, direction: 'maximize' })
      assert.deepEqual(
        b.map((e) => e.param),
        a.map((e) => e.param),
      )
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i].importance - b[i].importance) < 1e-9)
    })

    test('is deterministic for a seed', () => {
      assert.deepEqual(importance(trials20, { seed: 7 }), importance(trials20, { seed: 7 }))
    })

    test('leaves out single-valued parameters and handles no parameters', () => {
      const s: SearchSpace = { ...mixedSpace, fixed: { kind: 'categorical', choices: ['x'] } }
      const t = mixedTrials.map((tr) => completeTrial(tr.number, { ...tr.params, fixed: 'x' }, tr.values![0], s))
      assert.ok(!importance(t, { seed: 0 }).some((e) => e.param === 'fixed'))
      assert.deepEqual(importance([], {}), [])
    })
  })
}

test('fANOVA gives different forests for different seeds but the same ranking of strong effects', () => {
  const a = fanovaImportance(trials20, { seed: 1 })
  const b = fanovaImportance(trials20, { seed: 2 })
  assert.notDeepEqual(a, b)
  assert.deepEqual(top(a, 3), top(b, 3))
})

test('fANOVA of an additive function matches the analytic variance shares', () => {
  // f = 2·u + v on [0,1]²: Var(2u) = 4/12, Var(v) = 1/12 → shares 0.8 and 0.2.
  const s: SearchSpace = {
    u: { kind: 'float', low: 0, high: 1, log: false },
    v: { kind: 'float', low: 0, high: 1, log: false },
  }
  const t = randomTrials(s, (p) => 2 * (p.u as number) + (p.v as number), { n: 400, seed: 2 })
  const r = fanovaImportance(t, { seed: 0 })
  assert.equal(r[0].param, 'u')
  assert.ok(Math.abs(r[0].importance - 0.8) < 0.05, JSON.stringify(r))
})
