import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mock, test } from 'node:test'
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

test('a .log swapped for a symlink or a FIFO after a check is still refused, at once', async () => {
  // A check by path (lstat) and then an open by path can be raced: the file is replaced between the two. Here
  // any lstat of the path answers "a regular file", as if the swap came right after it.
  const dir = mkdtempSync(join(tmpdir(), 'winnow-log-'))
  const secret = join(dir, 'secret.txt')
  writeFileSync(secret, 'not a log\n')
  const link = join(dir, 'swapped.log')
  symlinkSync(secret, link)
  const fifo = join(dir, 'fifo.log')
  execFileSync('mkfifo', [fifo])
  const regular = statSync(secret)
  mock.method(fsp, 'lstat', async () => regular)
  syncBuiltinESMExports()
  try {
    for (const path of [link, fifo]) {
      // An open that waits for a FIFO's writer would hang the page: give up after 2 s.
      const r = await Promise.race([
        readLogTail(path),
        new Promise<'hung'>((resolve) => setTimeout(resolve, 2000, 'hung').unref()),
      ])
      assert.notEqual(r, 'hung', `${path} hung the read`)
      assert.ok(r !== 'hung' && !r.ok, `${path} must be refused`)
      if (!r.ok) assert.match(r.reason, /not a regular file/)
    }
  } finally {
    mock.restoreAll()
    syncBuiltinESMExports()
  }
})
