import assert from 'node:assert/strict'
import { test } from 'node:test'
import { didYouMean, levenshtein } from './did-you-mean.ts'
import { parseDuration } from './duration.ts'

test('levenshtein', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3)
  assert.equal(levenshtein('', 'abc'), 3)
  assert.equal(levenshtein('same', 'same'), 0)
})

test('didYouMean suggests close names only', () => {
  assert.equal(didYouMean('schedular', ['sampler', 'scheduler', 'storage']), 'scheduler')
  assert.equal(didYouMean('gpus-per-trial', ['gpus', 'gpus_per_trial']), 'gpus_per_trial')
  assert.equal(didYouMean('Metric', ['metric', 'metrics']), 'metric')
  assert.equal(didYouMean('banana', ['sampler', 'scheduler']), undefined)
})

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
