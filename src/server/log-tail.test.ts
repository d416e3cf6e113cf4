import assert from 'node:assert/strict'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { readLogTail } from './log-tail.ts'

test('readLogTail returns the last lines of a .log file, even a big one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-log-'))
  const small = join(dir, 'a.log')
  writeFileSync(small, 'one\ntwo\nthree\n')
  assert.deepEqual(await readLogTail(small), {
    ok: true,
    path: small,
    lines: ['one', 'two', 'three'],
    truncated: false,
  })
  const big = join(dir, 'big.log')
  writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n'))
  const tail = await readLogTail(big, 200)
  assert.ok(tail.ok)
  assert.equal(tail.lines.length, 200)
  assert.equal(tail.lines.at(-1), `line 39999 ${'x'.repeat(20)}`)
  assert.equal(tail.truncated, true)
})

test('readLogTail refuses anything but an absolute path to a regular .log file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-log-'))
  const link = join(dir, 'passwd.log')
  symlinkSync('/etc/passwd', link)
  for (const [path, reason] of [
    ['/etc/passwd', /not an absolute path to a \.log file/],
    ['relative.log', /not an absolute path/],
    [link, /not a regular file/],
    [join(dir, 'gone.log'), /no longer exists/],
  ] as const) {
    const r = await readLogTail(path)
    assert.equal(r.ok, false, path)
    if (!r.ok) assert.match(r.reason, reason)
  }
})
