import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TrialId } from '../trial/frozen-trial.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

test('the baseline ranks at each rung but uses no promotion slot', () => {
  const s = new SuccessiveHalvingScheduler({ resource: { min: 1, max: 9, reductionFactor: 3 }, mode: 'promotion' })
  // The baseline (always trained to full fidelity) and two paused trials at rung 0 (step 1): floor(3/3) = 1 slot.
  const baseline = fixtureTrial({
    number: 0,
    state: 'COMPLETE',
    curve: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1],
    systemAttrs: { baseline: true },
  })
  const a = fixtureTrial({ number: 1, state: 'PAUSED', curve: [0.5] })
  const b = fixtureTrial({ number: 2, state: 'PAUSED', curve: [0.95] })
  assert.deepEqual(s.promotions(fixtureContext([baseline, a, b])), [{ trialId: 1001 as TrialId, target: 3 }])
  // The same baseline without its flag is an ordinary completed trial that already took the slot.
  const plain = { ...baseline, systemAttrs: {} }
  assert.deepEqual(s.promotions(fixtureContext([plain, a, b])), [])
})
