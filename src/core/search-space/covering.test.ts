import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Distribution } from '../distributions/distribution.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { coveringSearchSpace } from './covering.ts'

const trial = (state: FrozenTrial['state'], distributions: Record<string, Distribution>) =>
  ({ state, distributions }) as unknown as FrozenTrial

test('coveringSearchSpace joins ranges and choices of a narrowed study and drops incomparable parameters', () => {
  const before = {
    lr: { kind: 'float', low: 1e-5, high: 1e-2, log: true },
    r: { kind: 'categorical', choices: [8, 16, 32] },
    ep: { kind: 'int', low: 1, high: 5, log: false, step: 1 },
    wd: { kind: 'float', low: 0, high: 0.3, log: false, step: 0.1 },
    mode: { kind: 'float', low: 0, high: 1, log: false },
    extra: { kind: 'float', low: 0, high: 1, log: false },
  } as const satisfies Record<string, Distribution>
  const after = {
    lr: { kind: 'float', low: 1e-4, high: 1e-3, log: true },
    r: { kind: 'categorical', choices: [32, 64] },
    ep: { kind: 'int', low: 2, high: 6, log: false, step: 2 },
    wd: { kind: 'float', low: 0.05, high: 0.25, log: false, step: 0.1 },
    mode: { kind: 'float', low: 0.1, high: 1, log: true },
  } as const satisfies Record<string, Distribution>
  const space = coveringSearchSpace([trial('COMPLETE', before), trial('PRUNED', {}), trial('COMPLETE', after)])
  assert.deepEqual(space, {
    ep: { kind: 'int', low: 1, high: 6, log: false, step: 1 },
    lr: { kind: 'float', low: 1e-5, high: 1e-2, log: true },
    r: { kind: 'categorical', choices: [8, 16, 32, 64] },
    wd: { kind: 'float', low: 0, high: 0.3, log: false },
  })
  assert.deepEqual(coveringSearchSpace([]), {})
})
