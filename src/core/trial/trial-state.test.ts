import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertTransition, canTransition, TRIAL_STATES } from './trial-state.ts'

test('legal transitions follow the documented state machine', () => {
  const legal = TRIAL_STATES.flatMap((a) => TRIAL_STATES.filter((b) => canTransition(a, b)).map((b) => `${a}>${b}`))
  assert.deepEqual(legal.sort(), [
    'PAUSED>COMPLETE',
    'PAUSED>PRUNED',
    'PAUSED>WAITING',
    'RUNNING>COMPLETE',
    'RUNNING>FAIL',
    'RUNNING>PAUSED',
    'RUNNING>PRUNED',
    'RUNNING>WAITING',
    'WAITING>PRUNED',
    'WAITING>RUNNING',
  ])
})

test('a finished trial cannot change and the message says why', () => {
  assert.throws(
    () => assertTransition('#3 of study "lora"', 'COMPLETE', 'RUNNING'),
    /Trial #3 of study "lora" is COMPLETE and cannot become RUNNING\. Finished trials are immutable/,
  )
  assert.throws(() => assertTransition('#1', 'WAITING', 'COMPLETE'), /From WAITING a trial may go to RUNNING, PRUNED/)
})
