import { Kysely, PostgresDialect, sql } from 'kysely'
import { WinnowError } from '../../core/errors.ts'
import type { WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

/** Options of `openPostgresDriver`. */
export interface PostgresDriverOptions {
  /** Connections per process. A worker needs few: its writes are short and mostly sequential. @default 4 */
  readonly maxConnections?: number
  /**
   * How long a lost server (restart, failover, network blip) is waited for, retrying, before a read or write gives
   * up. The trials keep training meanwhile; only the runner's bookkeeping waits. @default 120 (the stale-heartbeat
   * limit: longer, and other workers would re-queue this worker's trials)
   */
  readonly outageSeconds?: number
}

// Deadlock and serialization failures are safe to retry: the whole transaction was rolled back.
const RETRYABLE = new Set(['40001', '40P01'])
// The server went away or is not accepting connections yet (SQLSTATE class 08, admin shutdown, starting up).
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
])

/** Whether an error means the connection to the server is lost, so the same statement may work once it is back. */
export function isConnectionLoss(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true
  const message = e instanceof Error ? e.message : ''
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
}

/**
 * Runs `fn`, retrying through a lost connection (backoff from 0.25 s to 5 s) for up to `outageMs`; then a storage
 * error that says what happened and that nothing stored is lost. Why retrying is sound: a transaction cut off by a
 * lost connection was rolled back by the server; only a connection lost during COMMIT's reply leaves it unknown, and
 * Winnow's writes check the state they expect (a second claim of one trial is refused).
 */
export async function throughOutage<T>(fn: () => Promise<T>, url: string, outageMs: number): Promise<T> {
  const started = Date.now()
  for (let wait = 250; ; wait = Math.min(5000, wait * 2)) {
    try {
      return await fn()
    } catch (e) {
      if (!isConnectionLoss(e)) throw e
      if (Date.now() - started + wait > outageMs)
        throw new WinnowError(
          'storage',
          `Lost the connection to ${url} for ${Math.round((Date.now() - started) / 1000)} s (${(e as Error).message}); gave up. Everything already stored is kept: run the same command again when the server is back, and interrupted trials resume from their checkpoints.`,
          { cause: e },
        )
      await new Promise((r) => setTimeout(r, wait))
    }
  }
}
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
  const outageMs = (opts.outageSeconds ?? 120) * 1000
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
  // Every statement, in a transaction or not, first takes a connection: waiting there rides out a restart.
  const patientPool = {
    connect: () => throughOutage(() => pool.connect(), url, outageMs),
    end: () => pool.end(),
  }
  const db = new Kysely<WinnowDatabase>({ dialect: new PostgresDialect({ pool: patientPool }) })
  let closed = false
  return {
    dialect: 'postgres',
    url,
    db,
    async write(fn) {
      return throughOutage(
        async () => {
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
        url,
        outageMs,
      )
    },
    async read(fn) {
      return throughOutage(
        () => db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn),
        url,
        outageMs,
      )
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
