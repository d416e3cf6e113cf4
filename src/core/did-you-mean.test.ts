import assert from 'node:assert/strict'
import { test } from 'node:test'
import { didYouMean, editDistance } from './did-you-mean.ts'

test('editDistance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3)
  assert.equal(editDistance('', 'abc'), 3)
  assert.equal(editDistance('same', 'same'), 0)
  assert.equal(editDistance('lgo', 'log'), 1)
  assert.equal(editDistance('lgo', 'low'), 2)
  assert.equal(editDistance('ca', 'abc'), 3)
  assert.equal(didYouMean('lgo', ['low', 'high', 'log', 'step']), 'log')
})

test('didYouMean suggests close names only', () => {
  assert.equal(didYouMean('schedular', ['sampler', 'scheduler', 'storage']), 'scheduler')
  assert.equal(didYouMean('gpus-per-trial', ['gpus', 'gpus_per_trial']), 'gpus_per_trial')
  assert.equal(didYouMean('Metric', ['metric', 'metrics']), 'metric')
  assert.equal(didYouMean('banana', ['sampler', 'scheduler']), undefined)
})
