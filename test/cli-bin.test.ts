// The `winnow` command works through a symlink (npm link, node_modules/.bin) and keeps a failure's exit status.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { RandomSampler } from '../src/core/samplers/random-sampler.ts'
import { Study } from '../src/core/study/study.ts'
import { openStorage } from '../src/storage/open-storage.ts'
import { writeNodeStudy } from './cli-helpers.ts'

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
    const study = await Study.create({ storage, name: 'many', sampler: new RandomSampler() })
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

test('winnow tune piped into a reader that quits stops as on Ctrl-C: trials re-queued, none left running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-bin-'))
  writeNodeStudy(dir, { name: 'piped', trials: 6, concurrency: 2, steps: 30, sleepMs: 50 })
  const r = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" "${bin}" tune study.yaml -q | head -1; exit \${PIPESTATUS[0]}`],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    },
  )
  assert.equal(r.status, 141, r.stderr) // 128 + SIGPIPE, as a Unix tool whose reader went away
  assert.match(r.stdout, /^winnow: study "piped"/)
  const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    const study = (await storage.findStudy('piped'))!
    const { trials } = await storage.listTrials(study.id)
    assert.deepEqual(
      trials.filter((t) => t.state === 'RUNNING').map((t) => t.number),
      [],
      'no trial left RUNNING',
    )
    assert.ok(trials.some((t) => t.state === 'COMPLETE'))
  } finally {
    await storage.close()
  }
})
