import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import { rankTransferOf } from './trial-series.ts'

test('the rank-transfer ladder uses only the rungs trials reported at', () => {
  // Data fractions 0.1, 0.3, 1 under rungs 0.1, 0.3, 0.9: nothing is reported at 0.9.
  const trials = [0, 1, 2, 3].map((n) =>
    fixtureTrial({
      number: n,
      state: 'COMPLETE',
      curve: [
        [0.1, 3 - n * 0.1],
        [0.3, 2 + n * 0.1],
        [1, 1 + n * 0.2],
      ],
    }),
  )
  const data = rankTransferOf(trials, 'data_fraction', 0.1, 1, [0.1, 0.3, 0.9])
  assert.deepEqual(
    data.ladder.map((l) => [l.low, l.high]),
    [
      [0.1, 0.3],
      [0.3, 1],
    ],
  )
})
