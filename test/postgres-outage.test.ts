// A PostgreSQL restart while a study runs (a failover, a maintenance restart): the runner waits for the server
// instead of ending its trials, and the study finishes as if nothing happened. Uses a private server, since it is
// stopped mid-test and other test files share the common one.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { skipPostgres } from '../src/storage/sql/postgres-test-server.ts'
import { REPO, tempDir, winnow, winnowAsync, writeNodeStudy } from './cli-helpers.ts'

test('a 2-second PostgreSQL restart mid-study: trials keep running, nothing is re-run, the study completes', async (t) => {
  if (skipPostgres('the PostgreSQL outage test')) return t.skip('WINNOW_SKIP_POSTGRES=1')
  const dir = tempDir('winnow-pg-outage-')
  // Directly under /tmp: as root the server runs as another user, who cannot enter a private temp folder.
  const pgDir = join(tmpdir(), `winnow-pg-outage-${process.pid}`)
  const env = { ...process.env, WINNOW_PG_DIR: pgDir, WINNOW_PG_PORT: String(56000 + (process.pid % 900)) }
  const server = (cmd: 'start' | 'stop') => {
    const r = spawnSync('bash', [join(REPO, 'scripts/pg-test-server.sh'), cmd], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    })
    assert.equal(r.status, 0, `pg-test-server.sh ${cmd}: ${r.stderr}`)
    return r.stdout.trim().split('\n').pop() ?? ''
  }
  const url = server('start')
  try {
    writeNodeStudy(dir, { name: 'outage', trials: 3, concurrency: 1, steps: 12, sleepMs: 300 })
    const tuner = winnowAsync(['tune', 'study.yaml', '-q', '--storage', url], dir)
    await tuner.until((out) => /COMPLETE/.test(out))
    server('stop')
    await new Promise((r) => setTimeout(r, 2000))
    server('start')
    assert.equal(await tuner.exited(), 0, tuner.output())
    const json = JSON.parse(winnow(['export', 'outage', '-f', 'json', '--storage', url], dir).stdout)
    assert.deepEqual(
      json.trials.map((tr: { state: string; systemAttrs: { attempts: number } }) => [
        tr.state,
        tr.systemAttrs.attempts,
      ]),
      [
        ['COMPLETE', 1],
        ['COMPLETE', 1],
        ['COMPLETE', 1],
      ],
      'every trial ran once, none interrupted',
    )
  } finally {
    server('stop')
    rmSync(dir, { recursive: true, force: true })
    rmSync(pgDir, { recursive: true, force: true })
  }
})
