import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MedianScheduler } from './median-scheduler.ts'
import { PatientScheduler } from './patient-scheduler.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { signedRankGreaterPValue } from './signed-rank-test.ts'
import { ThresholdScheduler } from './threshold-scheduler.ts'
import { WilcoxonScheduler } from './wilcoxon-scheduler.ts'

describe('ThresholdScheduler', () => {
  const s = new ThresholdScheduler({ lower: 0, upper: 5, nWarmupSteps: 2 })
  const decide = (curve: number[]) => s.decide(fixtureContext([]), fixtureTrial({ number: 0, curve })).action

  test('prunes outside [lower, upper] and on NaN, after the warm-up', () => {
    assert.equal(decide([9]), 'continue')
    assert.equal(decide([1, 9]), 'prune')
    assert.equal(decide([1, -1]), 'prune')
    assert.equal(decide([1, Number.NaN]), 'prune')
    assert.equal(decide([1, 4]), 'continue')
  })

  test('needs a bound', () => {
    assert.throws(() => new ThresholdScheduler({}), /ThresholdScheduler option lower\/upper/)
    assert.throws(() => new ThresholdScheduler({ lower: 2, upper: 1 }), /lower=2, upper=1/)
  })
})

describe('PatientScheduler', () => {
  // Best before the window of 3 is 3; the window's best is 3.1: no improvement.
  const curve = [5, 4, 3, 3.5, 3.2, 3.1]

  test('prunes after `patience` reports without improvement', () => {
    const t = fixtureTrial({ number: 0, curve })
    assert.equal(new PatientScheduler(undefined, { patience: 2 }).decide(fixtureContext([t]), t).action, 'prune')
    const improving = fixtureTrial({ number: 0, curve: [5, 4, 3, 3.5, 3.2, 2.9] })
    assert.equal(
      new PatientScheduler(undefined, { patience: 2 }).decide(fixtureContext([improving]), improving).action,
      'continue',
    )
    const early = fixtureTrial({ number: 0, curve: [5, 6, 7] })
    assert.equal(
      new PatientScheduler(undefined, { patience: 2 }).decide(fixtureContext([early]), early).action,
      'continue',
    )
  })

  test('minDelta and maximisation', () => {
    const t = fixtureTrial({ number: 0, curve: [1, 2, 3, 2.9, 2.95, 2.8] })
    assert.equal(
      new PatientScheduler(undefined, { patience: 2 }).decide(fixtureContext([t], 'maximize'), t).action,
      'prune',
    )
    // 3 - 0.2 > 2.95 is false: within minDelta of the best, so not stalled.
    const s = new PatientScheduler(undefined, { patience: 2, minDelta: 0.2 })
    assert.equal(s.decide(fixtureContext([t], 'maximize'), t).action, 'continue')
  })

  test('a wrapped scheduler decides once the trial stalled', () => {
    const t = fixtureTrial({ number: 9, curve })
    const refs = [fixtureTrial({ number: 0, state: 'COMPLETE', curve: [9, 9, 9, 9, 9, 9], value: 9 })]
    const wrapped = new PatientScheduler(new MedianScheduler({ nStartupTrials: 1 }), { patience: 2 })
    assert.equal(wrapped.decide(fixtureContext([...refs, t]), t).action, 'continue')
    assert.throws(() => new PatientScheduler(undefined, { patience: -1 }), /patience/)
  })
})

describe('WilcoxonScheduler', () => {
  test('signed-rank p-values match SciPy (exact and normal approximation)', () => {
    assert.equal(signedRankGreaterPValue([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), 1 / 64)
    assert.equal(signedRankGreaterPValue([1, -2, 3, -4, 5, 6]), 14 / 64)
    // All ties: T+ = 21, mean 10.5, variance 22.75 - 210/48 = 18.375 → z = 2.4495, p = 0.00715.
    assert.ok(Math.abs(signedRankGreaterPValue([1, 1, 1, 1, 1, 1]) - 0.007152) < 1e-5)
  })

  const best = fixtureTrial({ number: 0, state: 'COMPLETE', curve: [1, 1, 1, 1, 1, 1], value: 1 })

  test('prunes a trial that is worse on the shared steps, keeps a better one', () => {
    const s = new WilcoxonScheduler({ pThreshold: 0.1 })
    const worse = fixtureTrial({ number: 1, curve: [1.1, 1.2, 1.3, 1.4, 1.5, 1.6] })
    assert.equal(s.decide(fixtureContext([best, worse]), worse).action, 'prune')
    const better = fixtureTrial({ number: 1, curve: [0.9, 0.8, 0.9, 0.8, 0.9, 0.8] })
    assert.equal(s.decide(fixtureContext([best, better]), better).action, 'continue')
  })

  test('startup steps, no best trial, non-finite values', () => {
    const s = new WilcoxonScheduler({ nStartupSteps: 3 })
    const two = fixtureTrial({ number: 1, curve: [5, 5] })
    assert.equal(s.decide(fixtureContext([best, two]), two).action, 'continue')
    assert.equal(s.decide(fixtureContext([two]), two).action, 'continue')
    const nan = fixtureTrial({ number: 1, curve: [1, Number.NaN] })
    assert.equal(s.decide(fixtureContext([best, nan]), nan).action, 'prune')
    assert.throws(() => new WilcoxonScheduler({ pThreshold: 2 }), /pThreshold/)
  })
})
