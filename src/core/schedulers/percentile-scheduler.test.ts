import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { WinnowError } from '../errors.ts'
import { MedianScheduler } from './median-scheduler.ts'
import { PercentileScheduler } from './percentile-scheduler.ts'
import { fixtureContext, fixtureTrial, flat } from './scheduler-fixtures.ts'

// Four completed trials whose values at step 2 are 1, 2, 3, 4: median 2.5, 25th percentile 1.75.
const completed = [1, 2, 3, 4].map((v, i) => fixtureTrial({ number: i, state: 'COMPLETE', curve: [9, v, v], value: v }))

describe('MedianScheduler', () => {
  test('prunes above the median of completed trials at the step, keeps below it', () => {
    const s = new MedianScheduler({ nStartupTrials: 4 })
    const worse = fixtureTrial({ number: 9, curve: [9, 2.6] })
    const better = fixtureTrial({ number: 9, curve: [9, 2.4] })
    assert.equal(s.decide(fixtureContext([...completed, worse]), worse).action, 'prune')
    assert.equal(s.decide(fixtureContext([...completed, better]), better).action, 'continue')
  })

  test('compares the best value so far, not the latest', () => {
    const s = new MedianScheduler({ nStartupTrials: 1 })
    // Best so far is 2.0 (step 1) < median 2.5 at step 2, although the latest value 3.0 is worse.
    const t = fixtureTrial({ number: 9, curve: [2.0, 3.0] })
    assert.equal(s.decide(fixtureContext([...completed, t]), t).action, 'continue')
  })

  test('respects warm-up steps and startup trials', () => {
    const bad = fixtureTrial({ number: 9, curve: flat(100, 2) })
    assert.equal(
      new MedianScheduler({ nWarmupSteps: 3 }).decide(fixtureContext([...completed, bad]), bad).action,
      'continue',
    )
    assert.equal(
      new MedianScheduler({ nStartupTrials: 5 }).decide(fixtureContext([...completed, bad]), bad).action,
      'continue',
    )
    assert.equal(
      new MedianScheduler({ nStartupTrials: 4 }).decide(fixtureContext([...completed, bad]), bad).action,
      'prune',
    )
  })

  test('ignores unfinished and pruned trials as reference', () => {
    const s = new MedianScheduler({ nStartupTrials: 1 })
    const others = [fixtureTrial({ number: 0, state: 'COMPLETE', curve: [9, 5], value: 5 })]
    const running = [1, 2, 3].map((n) => fixtureTrial({ number: n, curve: [0, 0] }))
    const t = fixtureTrial({ number: 9, curve: [9, 4] })
    assert.equal(s.decide(fixtureContext([...others, ...running, t]), t).action, 'continue')
  })

  test('judges only the first report of each interval', () => {
    const s = new MedianScheduler({ nStartupTrials: 1, intervalSteps: 2 })
    const refs = [fixtureTrial({ number: 0, state: 'COMPLETE', curve: [1, 1, 1], value: 1 })]
    const atTwo = fixtureTrial({ number: 9, curve: [5, 5] })
    const atThree = fixtureTrial({ number: 9, curve: [5, 5, 5] })
    assert.equal(s.decide(fixtureContext([...refs, atTwo]), atTwo).action, 'prune')
    assert.equal(s.decide(fixtureContext([...refs, atThree]), atThree).action, 'continue')
  })

  test('NaN prunes; nMinTrials holds back', () => {
    const nan = fixtureTrial({ number: 9, curve: [Number.NaN, Number.NaN] })
    assert.equal(
      new MedianScheduler({ nStartupTrials: 1 }).decide(fixtureContext([...completed, nan]), nan).action,
      'prune',
    )
    const bad = fixtureTrial({ number: 9, curve: [9, 9] })
    assert.equal(
      new MedianScheduler({ nMinTrials: 5 }).decide(fixtureContext([...completed, bad]), bad).action,
      'continue',
    )
  })

  test('decisions depend only on the history, not its order', () => {
    const s = new MedianScheduler({ nStartupTrials: 1 })
    const t = fixtureTrial({ number: 9, curve: [9, 2.6] })
    const a = s.decide(fixtureContext([...completed, t]), t)
    const b = s.decide(fixtureContext([t, ...completed].reverse()), t)
    assert.deepEqual(a, b)
  })
})

describe('PercentileScheduler', () => {
  test('25th percentile with linear interpolation (1.75 of 1..4)', () => {
    const s = new PercentileScheduler({ percentile: 25, nStartupTrials: 1 })
    const above = fixtureTrial({ number: 9, curve: [9, 1.8] })
    const below = fixtureTrial({ number: 9, curve: [9, 1.7] })
    assert.equal(s.decide(fixtureContext([...completed, above]), above).action, 'prune')
    assert.equal(s.decide(fixtureContext([...completed, below]), below).action, 'continue')
  })

  test('maximisation flips the percentile', () => {
    // Maximise, percentile 25 → compare with the 75th percentile 3.25 of 1..4.
    const s = new PercentileScheduler({ percentile: 25, nStartupTrials: 1 })
    const low = fixtureTrial({ number: 9, curve: [0, 3.2] })
    const high = fixtureTrial({ number: 9, curve: [0, 3.3] })
    assert.equal(s.decide(fixtureContext([...completed, low], 'maximize'), low).action, 'prune')
    assert.equal(s.decide(fixtureContext([...completed, high], 'maximize'), high).action, 'continue')
  })

  test('rejects bad options naming them', () => {
    assert.throws(
      () => new PercentileScheduler({ percentile: 120 }),
      (e: unknown) => e instanceof WinnowError && /percentile/.test(e.message),
    )
    assert.throws(() => new MedianScheduler({ nStartupTrials: -1 }), /MedianScheduler option nStartupTrials/)
    assert.throws(() => new MedianScheduler({ intervalSteps: 0 }), /intervalSteps/)
    assert.throws(() => new MedianScheduler({ nMinTrials: 0 }), /nMinTrials/)
  })
})
