import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import { pointsNotRun, pointsToRun, trialsCounted } from './budget.ts'

test('sweep points: queued, re-queued after an interrupted run, withdrawn, retries — what each count holds', () => {
  const queued = (number: number, systemAttrs = {}) => ({
    ...fixtureTrial({ number, state: 'WAITING', systemAttrs }),
    startedAt: null,
  })
  const trials = [
    fixtureTrial({ number: 0, state: 'COMPLETE', value: 1 }),
    fixtureTrial({ number: 1, state: 'WAITING' }), // started, then re-queued by Ctrl-C: it used budget
    queued(2),
    queued(3),
    { ...fixtureTrial({ number: 4, state: 'PRUNED', systemAttrs: { notRun: true } }), startedAt: null },
    queued(5, { retryOf: 0 }),
  ]
  assert.equal(trialsCounted(trials), 2, '#0 and the re-queued #1; not the withdrawn #4 nor the retry')
  assert.equal(pointsNotRun(trials), 2, '#2 and #3 never started')
  assert.equal(pointsToRun(trials), 3, '#1 still has to run too')
  // The budget that runs the whole sweep: counted so far plus what has not started.
  assert.equal(trialsCounted(trials) + pointsNotRun(trials), 4)
})
