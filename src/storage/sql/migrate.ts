import { type Kysely, sql } from 'kysely'
import { WinnowError } from '../../core/errors.ts'
import type { Migration } from './migrations.ts'
import type { WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

// Any constant works; it only has to be the same for every Winnow process migrating one database.
const PG_MIGRATION_LOCK = 0x77696e6e

/**
 * Brings the database to the newest schema in `migrations`, applying each missing version in one
 * transaction. Refuses a database whose schema is newer than the code (it would be misread) and a
 * database that holds other tables but no Winnow schema. Returns the schema version.
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[]): Promise<number> {
  const latest = migrations[migrations.length - 1].version
  // Fast path, no write lock: every worker process opens the database, and it is usually current.
  const tables = await driver.tables()
  if (tables.includes('schema_version')) {
    const current = await readVersionRow(driver.db)
    if (current !== undefined) {
      checkNotNewer(driver, current, latest)
      if (current === latest) return current
    }
  } else refuseForeign(driver, tables)
  // Several processes may open a new database at once: the write lock (SQLite) or the advisory lock
  // (PostgreSQL) lets one migrate; the others then find the schema current.
  return driver.write(async (tx) => {
    if (driver.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`.execute(tx)
    await sql`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`.execute(tx)
    const from = await readVersionRow(tx)
    if (from === undefined)
      refuseForeign(
        driver,
        (await driver.tables(tx)).filter((t) => t !== 'schema_version'),
      )
    checkNotNewer(driver, from ?? 0, latest)
    for (const m of migrations) {
      if (m.version <= (from ?? 0)) continue
      for (const statement of m.statements) await sql.raw(statement).execute(tx)
    }
    if (from === undefined) await tx.insertInto('schema_version').values({ version: latest }).execute()
    else if (from < latest) await tx.updateTable('schema_version').set({ version: latest }).execute()
    return latest
  })
}

async function readVersionRow(db: Kysely<WinnowDatabase>): Promise<number | undefined> {
  const row = await db.selectFrom('schema_version').select('version').executeTakeFirst()
  return row === undefined ? undefined : Number(row.version)
}

function refuseForeign(driver: SqlDriver, tables: string[]): void {
  const foreign = tables.filter((t) => !t.startsWith('sqlite_'))
  if (foreign.length > 0)
    throw new WinnowError(
      'storage',
      `${driver.url} is not a Winnow database: it has tables (${foreign.slice(0, 5).join(', ')}) but no schema_version. Point Winnow at a new file or an empty database/schema.`,
    )
}

/** The schema version recorded in the database, or undefined when it has none (new database). */
export async function readSchemaVersion(driver: SqlDriver): Promise<number | undefined> {
  if (!(await driver.tables()).includes('schema_version')) return undefined
  return readVersionRow(driver.db)
}

function checkNotNewer(driver: SqlDriver, current: number, latest: number): void {
  if (current > latest)
    throw new WinnowError(
      'storage',
      `${driver.url} has schema version ${current}, but this Winnow only knows versions up to ${latest}. It was written by a newer Winnow; upgrade Winnow to open it (older code could misread it).`,
    )
}
