import assert from 'node:assert/strict'
import { test } from 'node:test'
import { didYouMean, levenshtein } from './did-you-mean.ts'

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
