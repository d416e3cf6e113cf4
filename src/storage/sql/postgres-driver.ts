import { Kysely, PostgresDialect, sql } from 'kysely'
import { WinnowError } from '../../core/errors.ts'
import type { WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

/** Options of `openPostgresDriver`. */
export interface PostgresDriverOptions {
  /** Connections per process. A worker needs few: its writes are short and mostly sequential. @default 4 */
  readonly maxConnections?: number
}

// Deadlock and serialization failures are safe to retry: the whole transaction was rolled back.
const RETRYABLE = new Set(['40001', '40P01'])
const INT8_OID = 20

/**
 * Connects to PostgreSQL through a `pg` pool (imported here only, so SQLite users never load it).
 * Write transactions run at READ COMMITTED and serialise per study by locking rows (`FOR UPDATE`);
 * they are retried a few times on a deadlock or serialization failure. BIGINT columns are read as
 * JavaScript numbers (ids, versions and epoch milliseconds all stay far below 2^53).
 */
export async function openPostgresDriver(
  connectionString: string,
  opts: PostgresDriverOptions = {},
): Promise<SqlDriver> {
  const { default: pg } = await import('pg')
  const url = redact(connectionString)
  const pool = new pg.Pool({
    connectionString,
    max: opts.maxConnections ?? 4,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client that loses its server connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection (and its own error if the server is gone).
  pool.on('error', () => {})
  try {
    const c = await pool.connect()
    c.release()
  } catch (e) {
    await pool.end().catch(() => {})
    throw new WinnowError(
      'storage',
      `Cannot connect to ${url}: ${(e as Error).message}. Check that the server runs and the URL (user, host, port, database) is right.`,
      { cause: e },
    )
  }
  const db = new Kysely<WinnowDatabase>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  return {
    dialect: 'postgres',
    url,
    db,
    async write(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(fn)
        } catch (e) {
          const code = (e as { code?: string }).code
          if (code === undefined || !RETRYABLE.has(code) || attempt >= 5) throw e
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt))
        }
      }
    },
    async read(fn) {
      return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn)
    },
    async tables(tx = db) {
      const rows = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(tx)
      return rows.rows.map((r) => r.table_name)
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}

/** The URL without its password, for messages and `Storage.url`. */
export function redact(connectionString: string): string {
  try {
    const u = new URL(connectionString)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return connectionString.replace(/:[^:@/]*@/, ':***@')
  }
}
