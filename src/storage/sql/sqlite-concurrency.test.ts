import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Storage } from '../../core/storage.ts'
import { openStorage } from '../open-storage.ts'
import { skipPostgres, startTestPostgres, type TestPostgres } from './postgres-test-server.ts'
import { runAskTellWorkers } from './run-workers.ts'

// Several OS processes run the real Study ask/tell loop on one database; the result must be exactly as
// many trials as were told, numbered 0..n-1 once each, all COMPLETE, with no error (e.g. "database is
// locked") surfacing in any worker.

async function checkStudy(storage: Storage, name: string, expected: number) {
  const study = await storage.findStudy(name)
  assert.ok(study !== undefined, `study ${name} exists`)
  const { trials } = await storage.listTrials(study.id)
  assert.equal(trials.length, expected)
  assert.deepEqual(
    trials.map((t) => t.number),
    [...Array(expected).keys()],
  )
  assert.ok(
    trials.every((t) => t.state === 'COMPLETE'),
    'every trial is COMPLETE',
  )
  assert.equal(new Set(trials.map((t) => t.id)).size, expected)
}

function assertNoErrors(results: { errors: number; lastError: string | null; done: number }[], perProc: number) {
  for (const r of results) {
    assert.equal(r.errors, 0, `a worker saw ${r.errors} errors, last: ${r.lastError}`)
    assert.equal(r.done, perProc)
  }
}

describe('several processes on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-conc-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('4 processes x 500 ask/tell give trials 0..1999, all COMPLETE, no lock errors', {
    timeout: 300_000,
  }, async () => {
    const url = `sqlite:${join(dir, 'shared.db')}`
    const results = await runAskTellWorkers({ url, study: 'conc', procs: 4, trialsPerProc: 500 })
    assertNoErrors(results, 500)
    const storage = await openStorage(url)
    await checkStudy(storage, 'conc', 2000)
    await storage.close()
  })
})

describe('several processes on one PostgreSQL database', { skip: skipPostgres('PostgreSQL concurrency test') }, () => {
  let server: TestPostgres | undefined
  before(() => {
    server = startTestPostgres()
  })
  after(() => server?.release())

  test('4 processes x 250 ask/tell give trials 0..999, all COMPLETE, no errors', { timeout: 300_000 }, async () => {
    const name = `conc-${process.pid}-${Date.now()}`
    const results = await runAskTellWorkers({ url: server!.url, study: name, procs: 4, trialsPerProc: 250 })
    assertNoErrors(results, 250)
    const storage = await openStorage(server!.url)
    await checkStudy(storage, name, 1000)
    const study = await storage.findStudy(name)
    await storage.deleteStudy(study!.id)
    await storage.close()
  })
})
