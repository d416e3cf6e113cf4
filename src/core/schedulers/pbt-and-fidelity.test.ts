import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Distribution, ParamValue } from '../distributions/distribution.ts'
import { createRng } from '../rng.ts'
import type { Sampler, SamplingContext } from '../samplers/sampler.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { fidelityHistory } from './fidelity-history.ts'
import { MultiFidelitySampler } from './multi-fidelity-sampler.ts'
import { PbtScheduler } from './pbt-scheduler.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

describe('PbtScheduler', () => {
  const space: Record<string, Distribution> = {
    lr: { kind: 'float', low: 1e-5, high: 1e-2, log: true },
    r: { kind: 'categorical', choices: [4, 8, 16] },
  }
  const s = new PbtScheduler({ interval: 10, space, seed: 3 })
  const at10 = (n: number, v: number) => fixtureTrial({ number: n, curve: [[10, v]], params: { lr: 1e-3, r: 8 } })
  const population = [at10(0, 1), at10(1, 2), at10(2, 3)]

  test('the bottom quantile exploits the top one at an interval boundary', () => {
    const worst = at10(3, 4)
    const d = s.decide(fixtureContext([...population, worst]), worst)
    assert.equal(d.action, 'continue')
    assert.ok(d.action === 'continue' && d.exploit !== undefined)
    assert.equal(d.exploit.fromTrial, population[0].id)
    const lr = d.exploit.params.lr as number
    assert.ok(lr >= 1e-5 && lr <= 1e-2)
    assert.ok([4, 8, 16].includes(d.exploit.params.r as number))
    // Same history → same decision.
    assert.deepEqual(s.decide(fixtureContext([...population, worst]), worst), d)
  })

  test('good trials, small populations and steps off the boundary just continue', () => {
    const best = at10(3, 0.5)
    assert.deepEqual(s.decide(fixtureContext([...population, best]), best), { action: 'continue' })
    const alone = at10(3, 9)
    assert.deepEqual(s.decide(fixtureContext([alone]), alone), { action: 'continue' })
    const mid = fixtureTrial({
      number: 3,
      curve: [
        [10, 9],
        [15, 9],
      ],
    })
    assert.deepEqual(s.decide(fixtureContext([...population, mid]), mid), { action: 'continue' })
    assert.throws(() => new PbtScheduler({ interval: 0, space }), /PbtScheduler option interval/)
  })
})

describe('fidelityHistory', () => {
  const trials: FrozenTrial[] = [
    fixtureTrial({ number: 0, state: 'COMPLETE', curve: [3, 2, 1.5, 1.2], value: 1.2 }),
    fixtureTrial({ number: 1, state: 'PRUNED', curve: [3, 2.5, 2.4] }),
    fixtureTrial({ number: 2, state: 'PAUSED', curve: [2.8] }),
    fixtureTrial({ number: 3, state: 'FAIL', curve: [1] }),
    fixtureTrial({ number: 4, state: 'RUNNING', curve: [] }),
  ]

  test('fits on the highest level with enough points', () => {
    const v = fidelityHistory(trials, [1, 3, 4], { minPoints: 2 })
    assert.equal(v.level, 3)
    assert.equal(v.observed, 2)
    assert.deepEqual(
      v.history.map((t) => [t.number, t.state, t.values]),
      [
        [0, 'COMPLETE', [1.5]],
        [1, 'COMPLETE', [2.4]],
        [2, 'PAUSED', null],
        [4, 'RUNNING', null],
      ],
    )
    assert.equal(fidelityHistory(trials, [1, 3, 4], { minPoints: 1 }).level, 4)
    // Nobody has 5 points: the lowest level (most observations) is used.
    assert.equal(fidelityHistory(trials, [1, 3, 4], { minPoints: 5 }).level, 1)
  })

  test('MultiFidelitySampler hands the wrapped sampler the fidelity view', () => {
    const seen: (readonly FrozenTrial[])[] = []
    const spy: Sampler = {
      name: 'spy',
      inferRelativeSpace: (ctx) => {
        seen.push(ctx.history)
        return {}
      },
      sampleRelative: () => ({}),
      sampleIndependent: (ctx: SamplingContext, _p: string, _d: Distribution): ParamValue => {
        seen.push(ctx.history)
        return 0
      },
    }
    const scheduler = new SuccessiveHalvingScheduler({ resource: { min: 1, max: 4, reductionFactor: 3 } })
    const mf = new MultiFidelitySampler(spy, { levels: scheduler, minPoints: 2 })
    const ctx = { ...fixtureContext(trials), trial: trials[4], rng: createRng(1) }
    mf.inferRelativeSpace(ctx)
    mf.sampleIndependent(ctx, 'x', { kind: 'float', low: 0, high: 1, log: false })
    assert.equal(seen.length, 2)
    assert.equal(seen[0], seen[1]) // built once per history
    assert.deepEqual(
      seen[0].filter((t) => t.state === 'COMPLETE').map((t) => t.values),
      [[1.5], [2.4]],
    )
    assert.throws(() => new MultiFidelitySampler(spy, { levels: [] }), /MultiFidelitySampler option levels/)
  })
})
