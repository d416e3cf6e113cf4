import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Storage, StudySummary, TrialFilter } from '../core/storage.ts'
import type { StudyId } from '../core/trial/frozen-trial.ts'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import { createDashboardApp } from './app.ts'
import type { StudyDigest } from './study-digest.ts'

/** A storage that counts whole-study reads (listTrials without `sinceVersion`). */
function countingStorage(storage: Storage): { spy: Storage; fullReads: () => number } {
  let full = 0
  const spy: Storage = Object.create(storage)
  spy.listTrials = (id: StudyId, filter?: TrialFilter) => {
    if (filter?.sinceVersion === undefined) full++
    return storage.listTrials(id, filter)
  }
  return { spy, fullReads: () => full }
}

test('the study list of more studies than the caches hold reads each study whole once, then what changed', async () => {
  const storage = new MemoryStorage()
  const n = 70 // more than the 64 studies the caches hold
  for (let i = 0; i < n; i++) {
    const { study } = await storage.createStudy({ name: `s${i}`, directions: ['minimize'] })
    await storage.setTrialState((await storage.createTrial(study.id)).id, 'COMPLETE', { values: [i] })
  }
  const { spy, fullReads } = countingStorage(storage)
  const app = createDashboardApp({ storage: spy })
  const list = async () => ((await (await app.request('/api/studies')).json()) as { studies: StudyDigest[] }).studies
  assert.equal((await list()).length, n)
  assert.equal(fullReads(), n)
  assert.equal((await app.request('/')).status, 200)
  await list()
  assert.equal(fullReads(), n, 'nothing re-read whole: the studies did not change')
  // One study past the caches changes: only it is read again, and its digest shows the change.
  const last = (await storage.findStudy(`s${n - 1}`))!
  await storage.createTrial(last.id)
  const studies = await list()
  assert.equal(fullReads(), n + 1)
  assert.equal(studies.at(-1)?.total, 2)
  assert.equal(studies.at(-1)?.counts.RUNNING, 1)
})

test('a study deleted while the list is read is left out, not a 404 for the whole list', async () => {
  const storage = new MemoryStorage()
  await storage.createStudy({ name: 'kept', directions: ['minimize'] })
  const { study: gone } = await storage.createStudy({ name: 'gone', directions: ['minimize'] })
  const listed: StudySummary[] = await storage.listStudies()
  await storage.deleteStudy(gone.id)
  // The listing was read just before the deletion.
  const spy: Storage = Object.create(storage)
  spy.listStudies = async () => listed
  const app = createDashboardApp({ storage: spy })
  const res = await app.request('/api/studies')
  assert.equal(res.status, 200)
  assert.deepEqual(
    ((await res.json()) as { studies: StudyDigest[] }).studies.map((s) => s.name),
    ['kept'],
  )
  assert.equal((await app.request('/')).status, 200)
})

test('the study list says when no completed trial meets the constraints, and counts the infeasible ones', async () => {
  const storage = new MemoryStorage()
  const { study } = await storage.createStudy({ name: 'c', directions: ['minimize'] })
  for (const constraints of [[1], [0.5]])
    await storage.setTrialState((await storage.createTrial(study.id)).id, 'COMPLETE', {
      values: [1],
      systemAttrs: { constraints },
    })
  const app = createDashboardApp({ storage })
  const [digest] = ((await (await app.request('/api/studies')).json()) as { studies: StudyDigest[] }).studies
  assert.equal(digest.infeasible, 2)
  assert.equal(digest.best, null)
  const page = await (await app.request('/')).text()
  assert.match(page, /2 complete \(2 infeasible\)/)
  assert.match(page, /none meets the constraints/)
})
