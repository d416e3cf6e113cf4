import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement, sql } from 'kysely'
import { UsageError, WinnowError } from '../../core/errors.ts'
import { networkFileSystemOf } from './network-fs.ts'
import type { WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

/** Options of `openSqliteDriver`. */
export interface SqliteDriverOptions {
  /** How long a writer waits for another process's write lock before failing. @default 30000 */
  readonly busyTimeoutMs?: number
  /** Open even on a network file system (unsafe: its locks are unreliable). @default env WINNOW_ALLOW_NETWORK_SQLITE=1 */
  readonly allowNetworkFs?: boolean
  /** Open the file read-only (it must exist): no write can reach it, e.g. from a dashboard. @default false */
  readonly readOnly?: boolean
}

/**
 * Opens a SQLite database file (or `:memory:`) for Winnow: WAL journal so readers never block the writer,
 * `synchronous=NORMAL` (durable at checkpoints, no fsync per commit), a busy timeout so concurrent
 * worker processes wait for each other instead of failing, and `BEGIN IMMEDIATE` write transactions so a
 * transaction takes the write lock before it reads (no deadlock-prone lock upgrade). better-sqlite3 is
 * imported only here, so PostgreSQL users never load it.
 */
export async function openSqliteDriver(path: string, opts: SqliteDriverOptions = {}): Promise<SqlDriver> {
  const memory = path === ':memory:'
  const url = `sqlite:${path}`
  if (!memory) {
    const fs = networkFileSystemOf(path)
    const allow = opts.allowNetworkFs ?? process.env.WINNOW_ALLOW_NETWORK_SQLITE === '1'
    if (fs !== undefined && !allow)
      throw new WinnowError(
        'storage',
        `${url} is on a network file system (${fs}); SQLite's file locks are unreliable there, so workers could corrupt the study. Use PostgreSQL (--storage postgres://user@host:5432/db) for several machines, or put the file on a local disk.`,
      )
    if (!opts.readOnly) createFolderOf(path, url)
  }
  const { default: Database } = await import('better-sqlite3')
  let raw: BetterSqlite3.Database
  try {
    raw = new Database(path, { readonly: opts.readOnly === true, fileMustExist: opts.readOnly === true })
  } catch (e) {
    throw new WinnowError(
      'storage',
      `Cannot open ${url}: ${(e as Error).message}. Check the path and its permissions.`,
      {
        cause: e,
      },
    )
  }
  const busyTimeoutMs = opts.busyTimeoutMs ?? 30_000
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
  // A read-only connection cannot change the journal mode; the writers that created the file set WAL.
  if (!memory && !opts.readOnly) raw.pragma('journal_mode = WAL')
  if (!opts.readOnly) raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = ON')
  // From here on no SQLite busy handler: cachingDatabase retries with finer sleeps (see there).
  raw.pragma('busy_timeout = 0')
  const db = new Kysely<WinnowDatabase>({
    dialect: new SqliteDialect({ database: cachingDatabase(raw, busyTimeoutMs) }),
  })
  let closed = false

  const busy = (e: unknown): never => {
    const code = (e as { code?: string }).code
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw new WinnowError(
        'storage',
        `${url} stayed locked by another writer for more than ${busyTimeoutMs} ms. Another process holds a long write transaction; for many workers use PostgreSQL.`,
        { cause: e },
      )
    throw e
  }

  return {
    dialect: 'sqlite',
    url,
    db,
    async write(fn) {
      return db.connection().execute(async (conn) => {
        try {
          await sql`BEGIN IMMEDIATE`.execute(conn)
        } catch (e) {
          busy(e)
        }
        try {
          const result = await fn(conn)
          await sql`COMMIT`.execute(conn)
          return result
        } catch (e) {
          if (raw.inTransaction) await sql`ROLLBACK`.execute(conn)
          return busy(e)
        }
      })
    },
    async read(fn) {
      return db.connection().execute(async (conn) => {
        await sql`BEGIN`.execute(conn)
        try {
          return await fn(conn)
        } finally {
          if (raw.inTransaction) await sql`COMMIT`.execute(conn)
        }
      })
    },
    async tables(tx = db) {
      const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(tx)
      return rows.rows.map((r) => r.name)
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}

/**
 * Wraps better-sqlite3 so each distinct SQL text is prepared once (Kysely's SQLite driver calls `prepare`
 * for every query, and Winnow's hot path repeats a dozen statements thousands of times), and so a
 * statement that finds the database locked outside a transaction (typically `BEGIN IMMEDIATE` while
 * another process writes) is retried after short, growing, jittered sleeps (0.05 ms up to 2 ms) until
 * `busyTimeoutMs` has passed. SQLite's own busy handler sleeps 1, 2, 5, 10, … 100 ms, far longer than
 * Winnow's sub-millisecond write transactions hold the lock, which would idle waiting workers.
 */
function cachingDatabase(raw: BetterSqlite3.Database, busyTimeoutMs: number): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  const retry = <T>(f: () => T): T => {
    let deadline = 0
    for (let attempt = 0; ; attempt++) {
      try {
        return f()
      } catch (e) {
        // Inside a transaction a BUSY is not retryable here (the transaction must be rolled back).
        if ((e as { code?: string }).code !== 'SQLITE_BUSY' || raw.inTransaction) throw e
        const now = performance.now()
        if (deadline === 0) deadline = now + busyTimeoutMs
        if (now >= deadline) throw e
        const ms = Math.min(2, 0.05 * 1.6 ** attempt) * (0.5 + Math.random())
        Atomics.wait(SLEEPER, 0, 0, ms)
      }
    }
  }
  return {
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text)
      if (stmt === undefined) {
        const s = raw.prepare(text)
        stmt = {
          reader: s.reader,
          all: (params) => retry(() => s.all(params)),
          run: (params) => retry(() => s.run(params)),
          iterate: (params) => s.iterate(params) as IterableIterator<unknown>,
        }
        // Migrations and ad-hoc queries are not worth keeping; cap the cache to stay bounded.
        if (cache.size < 500) cache.set(text, stmt)
      }
      return stmt
    },
    close() {
      cache.clear()
      raw.close()
    },
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4))

/**
 * Creates the folder a new SQLite file goes in; a path that names a folder, or runs through a file, is the user's
 * mistake (exit 2), said with the fix — not an unexpected EEXIST / ENOTDIR.
 */
function createFolderOf(path: string, url: string): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(
      `${url} is a folder, not a SQLite file; name a file in it, e.g. sqlite:${join(path, 'winnow.db')}.`,
    )
  try {
    mkdirSync(dirname(path), { recursive: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a part of that path is a file, not a folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (e as Error).message
    throw new UsageError(
      `Cannot create the folder ${dirname(path)} for ${url}: ${why}. Choose another --storage path.`,
      {
        cause: e,
      },
    )
  }
}
