import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import { StudyCaches } from './study-cache.ts'
import { MAX_CURVES, reportDataOf } from './views.ts'

test('the dashboard draws at most MAX_CURVES learning curves: best, baseline and the most recent', async () => {
  const storage = new MemoryStorage()
  const { study } = await storage.createStudy({ name: 'many', directions: ['minimize'] })
  const n = MAX_CURVES + 40
  for (let i = 0; i < n; i++) {
    const t = await storage.createTrial(study.id, { systemAttrs: i === 0 ? { baseline: true } : {} })
    await storage.reportIntermediate(t.id, 1, 10 + i)
    // Trial 5 is the best (lowest value).
    await storage.setTrialState(t.id, 'COMPLETE', { values: [i === 5 ? 0 : 10 + i] })
  }
  const cache = await new StudyCaches(storage).forInfo(study)
  const { data, curvesOmitted, fresh } = reportDataOf(cache)
  assert.equal(fresh, true)
  assert.equal(data.curves.length, MAX_CURVES)
  assert.equal(curvesOmitted, 40)
  const numbers = data.curves.map((c) => c.number)
  assert.deepEqual(numbers.slice(0, 2), [0, 5], 'baseline and best kept')
  assert.equal(numbers.at(-1), n - 1, 'the most recent kept')
  assert.equal(numbers[2], n - (MAX_CURVES - 2), 'then the most recent others')
  assert.equal(data.history.length, n, 'the history keeps every trial')
})
