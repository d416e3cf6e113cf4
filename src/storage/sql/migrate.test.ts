import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { sql } from 'kysely'
import { openStorage } from '../open-storage.ts'
import { migrate, readSchemaVersion } from './migrate.ts'
import { type Migration, SQLITE_MIGRATIONS } from './migrations.ts'
import { openSqliteDriver } from './sqlite-driver.ts'

describe('schema migrations (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-migrate-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('a new database gets the newest schema; opening it again changes nothing', async () => {
    const path = join(dir, 'new.db')
    await (await openStorage(`sqlite:${path}`)).close()
    const d = await openSqliteDriver(path)
    assert.equal(await readSchemaVersion(d), SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1].version)
    assert.equal(await migrate(d, SQLITE_MIGRATIONS), 1)
    await d.close()
  })

  test('an older database is upgraded in place and keeps its data', async () => {
    const path = join(dir, 'old.db')
    const s = await openStorage(`sqlite:${path}`)
    const { study } = await s.createStudy({ name: 'kept', directions: ['minimize'] })
    await s.createTrial(study.id)
    await s.close()
    const v2: Migration = {
      version: 2,
      description: 'test column',
      statements: ['ALTER TABLE trials ADD COLUMN note TEXT'],
    }
    const d = await openSqliteDriver(path)
    assert.equal(await migrate(d, [...SQLITE_MIGRATIONS, v2]), 2)
    assert.equal(await readSchemaVersion(d), 2)
    const rows = await sql<{ number: number; note: string | null }>`SELECT number, note FROM trials`.execute(d.db)
    assert.deepEqual(rows.rows, [{ number: 0, note: null }])
    await d.close()
  })

  test('a database with a newer schema than the code is refused with a clear message', async () => {
    const path = join(dir, 'newer.db')
    await (await openStorage(`sqlite:${path}`)).close()
    const d = await openSqliteDriver(path)
    await sql`UPDATE schema_version SET version = 7`.execute(d.db)
    await d.close()
    await assert.rejects(openStorage(`sqlite:${path}`), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'storage')
      assert.match(e.message, /schema version 7, but this Winnow only knows versions up to 1.*upgrade Winnow/)
      return true
    })
  })

  test('a database of another program is not touched', async () => {
    const path = join(dir, 'optuna.db')
    const d = await openSqliteDriver(path)
    await sql`CREATE TABLE studies (study_id INTEGER PRIMARY KEY, study_name TEXT)`.execute(d.db)
    await d.close()
    await assert.rejects(openStorage(`sqlite:${path}`), /is not a Winnow database: it has tables \(studies\)/)
  })
})
