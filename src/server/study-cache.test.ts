import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Storage, TrialFilter } from '../core/storage.ts'
import type { StudyId } from '../core/trial/frozen-trial.ts'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import { openStorage } from '../storage/open-storage.ts'
import { StudyCaches } from './study-cache.ts'
import { addCompleteTrials, buildFixtureStudy, HOSTILE_NAME } from './testing/fixture.ts'

test('StudyCache reads the whole study once, then only what changed (sinceVersion)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-cache-'))
  const url = `sqlite:${join(dir, 'c.db')}`
  const storage = await openStorage(url)
  const writer = await openStorage(url)
  try {
    await buildFixtureStudy(storage, dir, 5)
    const reads: (TrialFilter | undefined)[] = []
    const spy: Storage = Object.create(storage)
    spy.listTrials = (id: StudyId, filter?: TrialFilter) => {
      reads.push(filter)
      return storage.listTrials(id, filter)
    }
    const caches = new StudyCaches(spy)
    const info = (await storage.findStudy(HOSTILE_NAME))!
    const cache = await caches.forInfo(info)
    assert.equal(cache.trials().length, 6)
    const v0 = cache.version
    await addCompleteTrials(writer, HOSTILE_NAME, 3)
    await caches.forInfo(info)
    assert.deepEqual(reads, [{}, { sinceVersion: v0 }])
    assert.deepEqual(
      cache.trials().map((t) => t.number),
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    )
    assert.deepEqual(
      cache.changedSince(v0).map((t) => t.number),
      [6, 7, 8],
    )
    assert.equal(cache.trial(7)?.state, 'COMPLETE')
    // A fresh read within maxAgeMs is skipped; derived values are rebuilt only when the version moves.
    await cache.refresh(60_000)
    assert.equal(reads.length, 2)
    let builds = 0
    const count = () => cache.derived('n', () => ++builds)
    count()
    count()
    assert.equal(builds, 1)
    await addCompleteTrials(writer, HOSTILE_NAME, 1)
    await cache.refresh()
    count()
    assert.equal(builds, 2)
    // A costly view (here ~30 ms) with staleFactor 100 is served stale after the next change, and says so.
    const slow = () => {
      const until = performance.now() + 30
      while (performance.now() < until);
      return cache.version
    }
    const v1 = cache.derived('slow', slow, 100)
    await addCompleteTrials(writer, HOSTILE_NAME, 1)
    await cache.refresh()
    assert.equal(cache.derived('slow', slow, 100), v1)
    assert.equal(cache.isFresh('slow'), false)
    assert.equal(cache.derived('slow', slow, 0), cache.version, 'without staleFactor it is rebuilt')
    assert.equal(cache.isFresh('slow'), true)
  } finally {
    await writer.close()
    await storage.close()
  }
})

test('StudyCaches drops the least recently used studies past maxStudies or maxSize, never the one in use', async () => {
  const storage = new MemoryStorage()
  const infos = []
  for (const name of ['a', 'b', 'c']) {
    const { study } = await storage.createStudy({ name, directions: ['minimize'] })
    for (let i = 0; i < 10; i++) {
      const t = await storage.createTrial(study.id)
      for (let step = 1; step <= 4; step++) await storage.reportIntermediate(t.id, step, step)
    }
    infos.push(study)
  }
  const [a, b, c] = infos
  // Each study holds 10 trials and 40 intermediate values: size 50.
  const bySize = new StudyCaches(storage, { maxSize: 120 })
  assert.equal((await bySize.forInfo(a)).size, 50)
  await bySize.forInfo(b)
  await bySize.forInfo(a) // a is now the most recently used
  await bySize.forInfo(c)
  assert.equal(bySize.peek(b.id), undefined, 'b, the least recently used, is dropped')
  assert.ok(bySize.peek(a.id) !== undefined && bySize.peek(c.id) !== undefined)
  assert.equal(bySize.hasRoom(), true, '100 held, under 120')
  const tiny = new StudyCaches(storage, { maxSize: 10 })
  await tiny.forInfo(a)
  const cc = await tiny.forInfo(c)
  assert.equal(tiny.peek(a.id), undefined)
  assert.equal(tiny.peek(c.id), cc, 'the study in use stays, though alone it is over the bound')
  assert.equal(cc.trials().length, 10)
  assert.equal(tiny.hasRoom(), false)
  const byCount = new StudyCaches(storage, { maxStudies: 2 })
  for (const info of [a, b, c]) await byCount.forInfo(info)
  assert.deepEqual(
    [a, b, c].map((s) => byCount.peek(s.id) !== undefined),
    [false, true, true],
  )
})
