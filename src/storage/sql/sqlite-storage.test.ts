import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeStorageContract } from '../../testing/storage-contract.ts'
import { openStorage } from '../open-storage.ts'
import { describeTwoWriters } from './two-writers-suite.ts'

const dir = mkdtempSync(join(tmpdir(), 'winnow-sqlite-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

describeStorageContract('SqlStorage on a SQLite file', {
  create: () => openStorage(`sqlite:${join(dir, `t${n++}.db`)}`),
})
describeStorageContract('SqlStorage on sqlite::memory:', { create: () => openStorage('sqlite::memory:') })
describeTwoWriters('SQLite file', async () => {
  const url = `sqlite:${join(dir, `two${n++}.db`)}`
  return [await openStorage(url), await openStorage(url)]
})
