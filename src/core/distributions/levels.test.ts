import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evenlySpacedValues } from './levels.ts'

test('log levels land on round numbers (no 0.0010000000000000002), within the bounds', () => {
  const lr = { kind: 'float', low: 1e-5, high: 1e-1, log: true } as const
  assert.deepEqual(evenlySpacedValues(lr, 5), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
  const wu = { kind: 'float', low: 0, high: 0.3, log: false } as const
  assert.deepEqual(evenlySpacedValues(wu, 5), [0, 0.075, 0.15, 0.225, 0.3])
  assert.deepEqual(evenlySpacedValues(wu, 1), [0.15])
})

test('int levels are snapped and deduplicated', () => {
  const r = { kind: 'int', low: 1, high: 4, log: false, step: 1 } as const
  assert.deepEqual(evenlySpacedValues(r, 7), [1, 2, 3, 4])
})
