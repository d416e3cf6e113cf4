import type { Kysely } from 'kysely'
import type { WinnowDatabase } from './schema.ts'

/**
 * What `SqlStorage` needs from a database, one implementation per dialect (SQLite, PostgreSQL).
 * The storage logic is shared; transactions, locking and driver loading are the dialect's business.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres'
  /** A printable location without secrets, e.g. `sqlite:/data/winnow.db`. */
  readonly url: string
  readonly db: Kysely<WinnowDatabase>
  /**
   * Runs `fn` in a write transaction that serialises with every other writer of the database
   * (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: row locks taken by the queries). Commits when `fn` resolves,
   * rolls back when it throws. Keep `fn` short: other workers wait for it.
   */
  write<T>(fn: (tx: Kysely<WinnowDatabase>) => Promise<T>): Promise<T>
  /** Runs several reads against one consistent snapshot. */
  read<T>(fn: (tx: Kysely<WinnowDatabase>) => Promise<T>): Promise<T>
  /** Names of the tables in the database (schema) Winnow uses, to recognise a foreign database; `tx` inside `write`. */
  tables(tx?: Kysely<WinnowDatabase>): Promise<string[]>
  /** Releases the connection(s); idempotent. */
  close(): Promise<void>
}
