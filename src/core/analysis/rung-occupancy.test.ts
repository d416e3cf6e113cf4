import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureTrial } from '../schedulers/scheduler-fixtures.ts'
import { rungOccupancy } from './rung-occupancy.ts'

test('rung view: per level, who got there, who went on, and where the others stopped', () => {
  // Levels 2, 4 and full fidelity 6. Values are the step's loss, so a lower curve is better.
  const trials = [
    fixtureTrial({ number: 0, state: 'COMPLETE', curve: [5, 4, 3, 2, 1.5, 1], value: 1 }),
    fixtureTrial({ number: 1, state: 'PRUNED', curve: [6, 5.5] }),
    fixtureTrial({ number: 2, state: 'PRUNED', curve: [6, 5, 4.5] }),
    fixtureTrial({ number: 3, state: 'PAUSED', curve: [5, 4.2, 4, 3.5] }),
    fixtureTrial({ number: 4, state: 'RUNNING', curve: [7] }),
    fixtureTrial({ number: 5, state: 'COMPLETE', value: 2 }), // e.g. a baseline that reported nothing
  ]
  const rows = rungOccupancy(trials, [2, 4], 6, 'minimize')
  assert.deepEqual(rows, [
    { level: 2, reached: 4, wentOn: 2, prunedHere: 2, pausedHere: 0, runningHere: 0, best: 4 },
    { level: 4, reached: 2, wentOn: 1, prunedHere: 0, pausedHere: 1, runningHere: 0, best: 2 },
    { level: 6, reached: 2, wentOn: 0, prunedHere: 0, pausedHere: 0, runningHere: 0, best: 1 },
  ])
})

test('rung view: maximisation picks the highest value; rungs at or past full fidelity are ignored', () => {
  const trials = [
    fixtureTrial({ number: 0, state: 'COMPLETE', curve: [0.2, 0.5], value: 0.5 }),
    fixtureTrial({ number: 1, state: 'PRUNED', curve: [0.3] }),
  ]
  const rows = rungOccupancy(trials, [1, 2, 5], 2, 'maximize')
  assert.deepEqual(
    rows.map((r) => [r.level, r.reached, r.wentOn, r.prunedHere, r.best]),
    [
      [1, 2, 1, 1, 0.3],
      [2, 1, 0, 0, 0.5],
    ],
  )
})
