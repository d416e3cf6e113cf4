import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Storage, TrialFilter } from '../core/storage.ts'
import type { StudyId } from '../core/trial/frozen-trial.ts'
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
