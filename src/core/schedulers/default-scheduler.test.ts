import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultScheduler } from './default-scheduler.ts'
import { fixtureContext, fixtureTrial, flat } from './scheduler-fixtures.ts'

describe('defaultScheduler', () => {
  test('rungs at 5 %, 20 % and 80 % of full fidelity, stopping mode, smoothed rung values', () => {
    const s = defaultScheduler({ max: 100 })
    assert.deepEqual(s.rungResources(), [5, 20, 80, 100])
    assert.equal(s.mode, 'stopping')
    assert.equal(s.ladder.smoothing, 5)
    assert.equal(s.confidence, 0.25)
    assert.equal(s.initialTarget(), undefined, 'stopping mode: new trials train to the end unless cut')
    assert.deepEqual(defaultScheduler({ kind: 'steps', max: 2000 }).rungResources(), [100, 400, 1600, 2000])
  })

  test('a first rung given by the study wins; other kinds of resource work too', () => {
    assert.deepEqual(defaultScheduler({ max: 2000, min: 50 }).rungResources(), [50, 200, 800, 2000])
    const frac = defaultScheduler({ kind: 'data_fraction', max: 1 })
    assert.equal(frac.resource.kind, 'data_fraction')
    assert.deepEqual(frac.rungResources(), [0.05, 0.2, 0.8, 1])
    assert.equal(defaultScheduler({ max: 100 }, { smoothing: 1 }).ladder.smoothing, 1)
    assert.equal(defaultScheduler({ max: 100 }, { confidence: 0 }).confidence, 0)
  })

  test('cuts a trial whose smoothed level is in the bottom of its rung', () => {
    const s = defaultScheduler({ max: 100 })
    // Four trials at rung 5: keep floor(4/4) = 1. #3's last report is the best, but its level (mean of 5) is not.
    const others = [1, 2, 3].map((v, i) => fixtureTrial({ number: i, curve: flat(v, 5) }))
    const lucky = fixtureTrial({ number: 3, curve: [4, 4, 4, 4, 0.5] })
    assert.equal(s.decide(fixtureContext([...others, lucky]), lucky).action, 'prune')
    const best = fixtureTrial({ number: 3, curve: flat(0.9, 5) })
    assert.equal(s.decide(fixtureContext([...others, best]), best).action, 'continue')
  })

  test('rejects a missing or non-positive max with the field named', () => {
    assert.throws(() => defaultScheduler({ max: 0 }), /defaultScheduler option resource.max must be a number > 0/)
    assert.throws(() => defaultScheduler({ max: Number.NaN }), /resource.max/)
  })
})
