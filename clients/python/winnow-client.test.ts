import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

test('python client unit tests (fake endpoint, fake HF / Lightning trainers) pass', () => {
  const r = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', here, '-p', 'test_*.py'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  })
  assert.equal(r.status, 0, `python unittest failed:\n${r.stderr}\n${r.stdout}`)
  assert.match(r.stderr, /Ran 22 tests/)
})
