import { resolve } from 'node:path'
import { UsageError } from '../core/errors.ts'
import type { Storage } from '../core/storage.ts'
import { MemoryStorage } from './memory/memory-storage.ts'
import { migrate, readSchemaVersion } from './sql/migrate.ts'
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './sql/migrations.ts'
import type { PostgresDriverOptions } from './sql/postgres-driver.ts'
import type { SqlDriver } from './sql/sql-driver.ts'
import { SqlStorage } from './sql/sql-storage.ts'
import type { SqliteDriverOptions } from './sql/sqlite-driver.ts'

const FORMS = [
  'memory:                              (this process only; gone at exit)',
  'sqlite:path/to/winnow.db             (relative to the current directory; sqlite:/abs/path.db for absolute)',
  'sqlite::memory:                      (a private in-memory SQLite database)',
  'postgres://user[:password]@host:port/database   (also postgresql://; for several machines)',
]

/** Where a storage URL points, parsed but not opened. */
export type StorageLocation =
  | { readonly kind: 'memory' }
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }

/**
 * Parses a storage URL. Relative SQLite paths are resolved against `cwd`; the SQLAlchemy/Optuna forms
 * `sqlite:///relative.db` and `sqlite:////absolute.db` are accepted too. A bad URL is a UsageError that
 * lists the accepted forms.
 */
export function parseStorageUrl(url: string, cwd: string = process.cwd()): StorageLocation {
  const u = url.trim()
  if (u === 'memory:' || u === 'memory') return { kind: 'memory' }
  if (/^postgres(ql)?:\/\/[^/]/.test(u)) return { kind: 'postgres', url: u }
  if (u.startsWith('sqlite:')) {
    let path = u.slice('sqlite:'.length)
    if (path === ':memory:' || path === '//:memory:' || path === '///:memory:')
      return { kind: 'sqlite', path: ':memory:' }
    if (path.startsWith('///')) path = path.slice(3)
    else if (path.startsWith('//')) path = '' // sqlite://host/... has no meaning for a local file
    if (path !== '') return { kind: 'sqlite', path: resolve(cwd, path) }
  }
  throw new UsageError(`Storage URL "${url}" is not one Winnow understands. Use one of:\n  ${FORMS.join('\n  ')}`)
}

/** Options of `openStorage`, per backend. */
export interface OpenStorageOptions {
  readonly sqlite?: SqliteDriverOptions
  readonly postgres?: PostgresDriverOptions
  /**
   * Only read: a SQLite file is opened read-only, and no schema is created or upgraded (an older or empty database
   * is an error that says how to upgrade it). For viewers such as `winnow dashboard`. @default false
   */
  readonly readOnly?: boolean
}

/**
 * Opens the storage a URL names (see `parseStorageUrl`), creating or upgrading its schema. Only the
 * driver that the URL needs is loaded: better-sqlite3 for `sqlite:`, pg for `postgres://`.
 */
export async function openStorage(url: string, opts: OpenStorageOptions = {}): Promise<Storage> {
  const loc = parseStorageUrl(url)
  if (loc.kind === 'memory') return new MemoryStorage()
  let driver: SqlDriver
  if (loc.kind === 'sqlite') {
    const { openSqliteDriver } = await import('./sql/sqlite-driver.ts')
    driver = await openSqliteDriver(loc.path, { ...opts.sqlite, ...(opts.readOnly ? { readOnly: true } : {}) })
  } else {
    const { openPostgresDriver } = await import('./sql/postgres-driver.ts')
    driver = await openPostgresDriver(loc.url, opts.postgres)
  }
  const migrations = driver.dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS
  try {
    if (opts.readOnly) await requireCurrentSchema(driver, migrations)
    else await migrate(driver, migrations)
  } catch (e) {
    await driver.close()
    throw e
  }
  return new SqlStorage(driver)
}

/** A read-only opener cannot upgrade: the schema must already be this Winnow's. */
async function requireCurrentSchema(driver: SqlDriver, migrations: readonly { readonly version: number }[]) {
  const latest = Math.max(...migrations.map((m) => m.version))
  const current = await readSchemaVersion(driver)
  if (current === latest) return
  throw new UsageError(
    current === undefined
      ? `${driver.url} holds no Winnow studies (no schema yet). Check the storage URL, or run a study into it first.`
      : current > latest
        ? `${driver.url} has schema version ${current}, but this Winnow only knows versions up to ${latest}. It was written by a newer Winnow; upgrade Winnow to open it.`
        : `${driver.url} has schema version ${current}, this Winnow reads version ${latest}. Run any Winnow command that writes to it once (e.g. \`winnow studies --storage ${driver.url}\`) to upgrade it, then open it read-only again.`,
  )
}
