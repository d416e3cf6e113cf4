// The `winnow` command works through a symlink (npm link, node_modules/.bin) and keeps a failure's exit status.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Study } from '../src/core/study/study.ts'
import { openStorage } from '../src/storage/open-storage.ts'

const bin = new URL('../bin/winnow.js', import.meta.url).pathname

test('winnow through a symlink runs, and failed trials exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-bin-'))
  const link = join(dir, 'winnow')
  symlinkSync(bin, link)
  const missing = spawnSync(link, ['status', 'nosuch', '--storage', 'memory:'], { cwd: dir, encoding: 'utf8' })
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /Study "nosuch" does not exist/)

  writeFileSync(
    join(dir, 'study.yaml'),
    'name: bad\nmetric: {name: loss, direction: minimize}\ncommand: [node, nosuch.js]\nspace:\n  lr: {type: float, low: 0.001, high: 0.1, log: true}\nbudget: {trials: 5}\n',
  )
  const failed = spawnSync(link, ['tune', 'study.yaml', '-q'], { cwd: dir, encoding: 'utf8' })
  assert.equal(failed.status, 1, failed.stdout + failed.stderr)
  assert.match(failed.stdout + failed.stderr, /all failed the same way/)
})

test('output piped into a reader that quits early (| head) ends quietly, without an EPIPE stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-bin-'))
  const url = `sqlite:${join(dir, 'winnow.db')}`
  const storage = await openStorage(url)
  try {
    const study = await Study.create({ storage, name: 'many' })
    for (let i = 0; i < 400; i++) {
      const t = await study.ask()
      await study.tell(t, t.suggestFloat('x', 0, 1) ** 2)
    }
  } finally {
    await storage.close()
  }
  const r = spawnSync(
    'sh',
    ['-c', `"${process.execPath}" "${bin}" export many -f json --storage "${url}" | head -c 10`],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  )
  assert.equal(r.stdout, '{\n  "study')
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/)
})
