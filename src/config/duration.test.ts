import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDuration } from './duration.ts'

test('parseDuration', () => {
  assert.equal(parseDuration('8h'), 28800)
  assert.equal(parseDuration('30m'), 1800)
  assert.equal(parseDuration('90s'), 90)
  assert.equal(parseDuration('1h30m'), 5400)
  assert.equal(parseDuration('1.5h'), 5400)
  assert.equal(parseDuration('2d'), 172800)
  assert.equal(parseDuration(45), 45)
  assert.equal(parseDuration('45'), 45)
  for (const bad of ['8 hours', '8x', '', 'h', '-5m', '0s', 0, -3, Number.NaN])
    assert.equal(parseDuration(bad), undefined, String(bad))
})
