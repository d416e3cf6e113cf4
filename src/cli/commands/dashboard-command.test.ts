import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '../../storage/open-storage.ts'

const BIN = join(import.meta.dirname, '../../../bin/winnow.js')
const env = { ...process.env, NO_COLOR: '1' }

test('winnow dashboard --port <bad> exits 2 with one clear line', () => {
  const r = spawnSync(process.execPath, [BIN, 'dashboard', '--port', 'eighty'], { encoding: 'utf8', env })
  assert.equal(r.status, 2)
  assert.equal(
    r.stderr,
    'error: --port must be an integer from 0 to 65535, got "eighty". For example --port 8080, or --port 0 for any free port.\n',
  )
})

test('winnow dashboard serves on 127.0.0.1, prints the URL, and SIGTERM closes it with an event stream open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-dash-cli-'))
  const url = `sqlite:${join(dir, 'w.db')}`
  const storage = await openStorage(url)
  await storage.createStudy({ name: 'cli-study', directions: ['minimize'] })
  await storage.close()
  const child = spawn(process.execPath, [BIN, 'dashboard', '--storage', url, '--port', '0'], { env })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    let out = ''
    child.stdout.on('data', (b) => {
      out += b
    })
    let stderr = ''
    child.stderr.on('data', (b) => {
      stderr += b
    })
    const started = Date.now()
    while (!/http:\/\/\S+\//.test(out) && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50))
    const base = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]
    assert.ok(base, `a 127.0.0.1 URL in: ${out} ${stderr}`)
    assert.equal(stderr, '', 'no warning on loopback')
    const list = (await (await fetch(`${base}api/studies`)).json()) as { studies: { name: string }[] }
    assert.deepEqual(
      list.studies.map((s) => s.name),
      ['cli-study'],
    )
    const events = await fetch(`${base}api/studies/cli-study/events`)
    const reader = events.body!.getReader()
    assert.match(new TextDecoder().decode((await reader.read()).value), /event: hello/)
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.match(out, /Dashboard stopped\./)
    await reader.cancel().catch(() => {})
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
})
