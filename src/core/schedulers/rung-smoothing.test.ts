import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TrialId } from '../trial/frozen-trial.ts'
import { smoothedValueReached, valueReached } from './history.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

const id = (n: number) => (n + 1000) as TrialId

describe('smoothedValueReached', () => {
  const t = fixtureTrial({ number: 0, curve: [9, 6, 3, 0, 100] })

  const long = fixtureTrial({ number: 4, curve: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] })

  test('averages the report at the rung with the window − 1 reports before it', () => {
    assert.equal(smoothedValueReached(long, 8, 3), (4 + 3 + 2) / 3)
    assert.equal(smoothedValueReached(long, 10, 5), (4 + 3 + 2 + 1 + 0) / 5)
  })

  test('only reports past half the rung count: early steps of a curve are not its level', () => {
    assert.equal(smoothedValueReached(t, 4, 3), (3 + 0) / 2, 'steps 3 and 4 of rung 4; step 2 is not past 2')
    assert.equal(smoothedValueReached(long, 6, 5), (6 + 5 + 4) / 3, 'steps 4..6 of rung 6; step 3 is not past 3')
    assert.equal(smoothedValueReached(t, 2, 5), 6, 'rung 2: only its own report')
    assert.equal(smoothedValueReached(t, 1, 5), 9, 'the report at the rung always counts')
  })

  test('window 1 is valueReached; a rung not reached is undefined', () => {
    for (const r of [1, 3, 5]) assert.equal(smoothedValueReached(t, r, 1), valueReached(t, r))
    assert.equal(smoothedValueReached(t, 6, 3), undefined)
  })

  test('skips NaN reports, and is NaN only when every report in the window is', () => {
    const withNaN = fixtureTrial({ number: 1, curve: [9, 9, 4, Number.NaN, 2] })
    assert.equal(smoothedValueReached(withNaN, 5, 3), (4 + 2) / 2)
    const allNaN = fixtureTrial({ number: 2, curve: [Number.NaN, Number.NaN] })
    assert.ok(Number.isNaN(smoothedValueReached(allNaN, 2, 2)))
  })

  test('uses the first report past the rung when reports are sparse', () => {
    const sparse = fixtureTrial({
      number: 3,
      curve: [
        [2, 8],
        [3, 6],
        [5, 4],
        [9, 1],
      ],
    })
    assert.equal(smoothedValueReached(sparse, 4, 3), (6 + 4) / 2, 'rung 4 is met at step 5; step 2 is not past 2')
  })
})

describe('SuccessiveHalvingScheduler with smoothing', () => {
  const resource = { kind: 'steps' as const, min: 3, max: 9, reductionFactor: 3 }
  // Rung 0 (step 3): #0 sits steadily at 2, #1 at 5; #2 has a level of 4 but one lucky report of 1 at step 3.
  const steady = [fixtureTrial({ number: 0, curve: [2, 2, 2] }), fixtureTrial({ number: 1, curve: [5, 5, 5] })]
  const lucky = fixtureTrial({ number: 2, curve: [4, 4, 1] })

  test('stopping: a single lucky report survives the plain rule but not the smoothed one', () => {
    const plain = new SuccessiveHalvingScheduler({ resource })
    const smooth = new SuccessiveHalvingScheduler({ resource, smoothing: 3 })
    const ctx = fixtureContext([...steady, lucky])
    assert.equal(plain.decide(ctx, lucky).action, 'continue')
    const d = smooth.decide(ctx, lucky)
    assert.equal(d.action, 'prune')
    assert.match(d.action === 'prune' ? d.reason : '', /top 1 of 3 trials at rung 0/)
  })

  test('stopping: a steady good trial still passes', () => {
    const smooth = new SuccessiveHalvingScheduler({ resource, smoothing: 3 })
    const good = fixtureTrial({ number: 2, curve: [1.5, 1.5, 1.5] })
    assert.equal(smooth.decide(fixtureContext([...steady, good]), good).action, 'continue')
  })

  test('promotion: rung ranks use the smoothed values', () => {
    const paused = [...steady, lucky].map((t) => ({ ...t, state: 'PAUSED' as const }))
    const plain = new SuccessiveHalvingScheduler({ resource, mode: 'promotion' })
    const smooth = new SuccessiveHalvingScheduler({ resource, mode: 'promotion', smoothing: 3 })
    assert.deepEqual(plain.promotions(fixtureContext(paused)), [{ trialId: id(2), target: 9 }])
    assert.deepEqual(smooth.promotions(fixtureContext(paused)), [{ trialId: id(0), target: 9 }])
  })

  test('rejects a window that is not a positive integer', () => {
    assert.throws(
      () => new SuccessiveHalvingScheduler({ resource, smoothing: 0 }),
      /option smoothing must be an integer >= 1/,
    )
    assert.throws(() => new SuccessiveHalvingScheduler({ resource, smoothing: 2.5 }), /smoothing/)
  })
})
