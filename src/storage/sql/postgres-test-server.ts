import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A PostgreSQL server for tests: its URL and how to let it go. */
export interface TestPostgres {
  readonly url: string
  /** Stops the server if this process started it (and no other test process still uses it). */
  release(): void
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../../scripts/pg-test-server.sh')

/**
 * The PostgreSQL server the tests use: `WINNOW_TEST_POSTGRES_URL` when set, else a local throw-away
 * server started with `scripts/pg-test-server.sh` (leased to this process, so parallel test files share
 * it). Throws with the script's own reason when the server cannot start: tests must not pass silently
 * without PostgreSQL. `env` is passed to the script (e.g. WINNOW_PG_FSYNC=on for benchmarks).
 */
export function startTestPostgres(env: Record<string, string> = {}): TestPostgres {
  const given = process.env.WINNOW_TEST_POSTGRES_URL
  if (given !== undefined && given !== '') return { url: given, release() {} }
  const lease = String(process.pid)
  const run = (cmd: string) =>
    spawnSync('bash', [SCRIPT, cmd, lease], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 })
  const r = run('start')
  if (r.status !== 0)
    throw new Error(
      `Could not start the test PostgreSQL server (${SCRIPT} start exited ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().replace(/\.$/, '')}. ` +
        'Set WINNOW_TEST_POSTGRES_URL to a running server, or WINNOW_SKIP_POSTGRES=1 to skip PostgreSQL tests.',
    )
  const url = r.stdout.trim().split('\n').pop() ?? ''
  let released = false
  return {
    url,
    release() {
      if (released) return
      released = true
      run('stop')
    },
  }
}

/** True (after printing a loud notice) when the user asked to skip PostgreSQL tests with WINNOW_SKIP_POSTGRES=1. */
export function skipPostgres(what: string): boolean {
  if (process.env.WINNOW_SKIP_POSTGRES !== '1') return false
  console.error(
    `\n!!! SKIPPING ${what}: WINNOW_SKIP_POSTGRES=1 is set. PostgreSQL storage is NOT tested in this run. !!!\n`,
  )
  return true
}

/** `url` with a search_path option, so a connection works inside one schema of the database. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return u.toString()
}
