import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import type { WinnowError } from '../../core/errors.ts'
import { describeStorageContract } from '../../testing/storage-contract.ts'
import { openStorage, parseStorageUrl } from '../open-storage.ts'
import { skipPostgres, startTestPostgres, type TestPostgres, withSchema } from './postgres-test-server.ts'
import { describeTwoWriters } from './two-writers-suite.ts'

// Each test gets a fresh schema in the test database; all of them are dropped at the end.
const skip = skipPostgres('PostgreSQL storage tests')
let server: TestPostgres | undefined
let admin: pg.Client | undefined
const schemas: string[] = []

async function freshSchema(): Promise<string> {
  const name = `winnow_t_${process.pid}_${schemas.length}`
  await admin!.query(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`)
  schemas.push(name)
  return withSchema(server!.url, name)
}

if (!skip) {
  before(async () => {
    server = startTestPostgres()
    admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
  })
  after(async () => {
    for (const s of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    await admin?.end()
    server?.release()
  })
}

describeStorageContract('SqlStorage on PostgreSQL', {
  skip: skip && 'WINNOW_SKIP_POSTGRES=1',
  create: async () => openStorage(await freshSchema()),
})

describe('PostgreSQL storage specifics', { skip: skip && 'WINNOW_SKIP_POSTGRES=1' }, () => {
  test('postgres:// and postgresql:// URLs are accepted and the password is not shown', async () => {
    assert.equal(parseStorageUrl('postgresql://u:pw@h:1/db').kind, 'postgres')
    const s = await openStorage(await freshSchema())
    assert.match(s.url, /^postgres:\/\/winnow@127\.0\.0\.1:\d+\/winnow_test/)
    await s.close()
    await assert.rejects(openStorage('postgres://nobody:secret@127.0.0.1:1/none'), (e: WinnowError) => {
      assert.equal(e.code, 'storage')
      assert.doesNotMatch(e.message, /secret/)
      return true
    })
  })

  test('a schema newer than the code is refused; the current one is kept', async () => {
    const url = await freshSchema()
    await (await openStorage(url)).close()
    const schema = schemas[schemas.length - 1]
    await admin!.query(`UPDATE ${schema}.schema_version SET version = 99`)
    await assert.rejects(openStorage(url), /schema version 99.*only knows versions up to 1/)
  })

  test('many processes worth of concurrent claims and creates stay consistent', async () => {
    const url = await freshSchema()
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStorage(url)))
    const { study } = await stores[0].createStudy({ name: 'pg-race', directions: ['minimize'] })
    for (let i = 0; i < 20; i++) await stores[0].createTrial(study.id, { state: 'WAITING' })
    const results = await Promise.all(
      stores.flatMap((s) => [
        ...Array.from({ length: 8 }, () => s.claimWaitingTrial(study.id)),
        ...Array.from({ length: 10 }, () => s.createTrial(study.id)),
      ]),
    )
    const claimed = results.filter((t, i) => i % 18 < 8 && t !== undefined)
    assert.equal(claimed.length, 20)
    assert.equal(new Set(claimed.map((t) => t!.id)).size, 20)
    const all = (await stores[0].listTrials(study.id)).trials
    assert.deepEqual(
      all.map((t) => t.number),
      [...Array(60).keys()],
    )
    for (const s of stores) await s.close()
  })
})

describeTwoWriters(
  'PostgreSQL',
  async () => {
    const url = await freshSchema()
    return [await openStorage(url), await openStorage(url)]
  },
  skip && 'WINNOW_SKIP_POSTGRES=1',
)
