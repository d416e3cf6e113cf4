import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import { processesOfAttempt } from './recovery.ts'

test('an attempt is found by the key in its environment only: not by a process id another process may have now', async (t) => {
  if (!existsSync('/proc')) return t.skip('no /proc on this system')
  const spawnWith = (env: Record<string, string>) =>
    spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { env: { ...process.env, ...env }, detached: true })
  const ours = spawnWith({ WINNOW_ATTEMPT: 'k-ours' })
  const other = spawnWith({ WINNOW_ATTEMPT: 'k-other', WINNOW_TRIAL_ID: '1' })
  const stranger = spawnWith({})
  try {
    await new Promise((r) => setTimeout(r, 300))
    assert.deepEqual(processesOfAttempt('k-ours'), [ours.pid])
    assert.deepEqual(processesOfAttempt('k-missing'), [])
    assert.ok(!processesOfAttempt('k-ours')?.includes(stranger.pid!), 'a process without the key is never picked')
    assert.deepEqual(processesOfAttempt('k-other'), [other.pid])
  } finally {
    for (const c of [ours, other, stranger]) c.kill('SIGKILL')
  }
})
