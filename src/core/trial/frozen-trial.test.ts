import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureTrial } from '../schedulers/scheduler-fixtures.ts'
import { type FrozenTrial, reasonOf, type StudyId, sortTrials, type TrialId } from './frozen-trial.ts'
import type { TrialState } from './trial-state.ts'

const trial = (state: TrialState, systemAttrs: FrozenTrial['systemAttrs']): FrozenTrial => ({
  id: 1 as TrialId,
  studyId: 1 as StudyId,
  number: 0,
  state,
  params: {},
  distributions: {},
  values: state === 'COMPLETE' ? [1] : null,
  intermediate: [],
  userAttrs: {},
  systemAttrs,
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
  heartbeatAt: null,
  version: 0,
})

test('reasonOf explains the present state only, not what an earlier attempt left behind', () => {
  const interrupted = { interrupted: 'interrupted by the run (Ctrl-C)' }
  assert.equal(reasonOf(trial('COMPLETE', interrupted)), undefined, 'completed on the next run')
  assert.equal(reasonOf(trial('WAITING', interrupted)), 'interrupted by the run (Ctrl-C)')
  assert.equal(reasonOf(trial('COMPLETE', { ...interrupted, stoppedEarly: 'plateau' })), 'plateau')
  assert.equal(reasonOf(trial('PRUNED', { ...interrupted, pruneReason: 'rung 1' })), 'rung 1')
  assert.equal(reasonOf(trial('FAIL', { failure: 'oom', failReason: 'out of memory' })), 'out of memory')
  assert.equal(reasonOf(trial('FAIL', { failure: 'spawn' })), 'spawn')
  // A paused trial says where it waits, and why the runner had to end it when it did not stop by itself.
  assert.equal(reasonOf(trial('PAUSED', { rung: 1 })), 'paused at rung 1')
  assert.equal(
    reasonOf(trial('PAUSED', { rung: 0, exit: { killedBecause: 'did not exit within 30s of its pause decision' } })),
    'paused at rung 0 (did not exit within 30s of its pause decision)',
  )
})

test('sorting by value: best first, infeasible results after every feasible one, unfinished last', () => {
  const trials = [
    fixtureTrial({ number: 0, state: 'COMPLETE', value: 0.3 }),
    fixtureTrial({ number: 1, state: 'COMPLETE', value: 0.9, systemAttrs: { constraints: [1] } }),
    fixtureTrial({ number: 2, state: 'RUNNING' }),
    fixtureTrial({ number: 3, state: 'COMPLETE', value: 0.5 }),
  ]
  assert.deepEqual(
    sortTrials(trials, 'value', 'desc').map((t) => t.number),
    [3, 0, 1, 2],
  )
  assert.deepEqual(
    sortTrials(trials, 'value', 'asc').map((t) => t.number),
    [0, 3, 1, 2],
  )
})
