// The README's complete study-file examples must load: users paste them.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parseStudyFile } from '../src/config/index.ts'

test('every complete study file in the README (a yaml block with name: and command:) loads', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
  const studies = blocks.filter((b) => /^name: /m.test(b) && /^command: /m.test(b))
  assert.ok(studies.length >= 1, 'the README shows at least one complete study file')
  for (const text of studies) assert.doesNotThrow(() => parseStudyFile(text, 'README.md'), text.split('\n')[0])
})

test("the README's example error is the one Winnow prints for its study file with low: 0", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const study = /```yaml\n(name: qwen-lora-sft[\s\S]*?)```/.exec(readme)?.[1]
  const shown = /With `low: 0` in the file above:\n\n```\nerror: (.*)\n```/.exec(readme)?.[1]
  assert.ok(study !== undefined && shown !== undefined, 'the README shows the study file and the error')
  const broken = study.replace('low: 1.0e-5', 'low: 0')
  assert.throws(
    () => parseStudyFile(broken, 'study.yaml'),
    (e: Error) => e.message === shown,
  )
})

test("the README's library example runs as it says (node --import tsx)", () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/library/quadratic.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stderr)
  const value = Number(/best x = .*, value = (\S+)/.exec(r.stdout)?.[1])
  assert.ok(value < 0.1, `50 trials get within 0.1 of the minimum 0 of (x − 2)², got ${r.stdout}`)
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const example = readFileSync(new URL('../examples/library/quadratic.ts', import.meta.url), 'utf8')
  const shown = /## Library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  assert.equal(shown, example.slice(example.indexOf('import {')).replace("'../../src/index.ts'", "'winnow'"))
})

test("the analysis functions the README names are exported from 'winnow'", async () => {
  const winnow = await import('../src/index.ts')
  for (const name of ['sensitivity', 'paramImportance', 'fanovaImportance', 'pedAnovaImportance', 'focusSpace'])
    assert.equal(typeof (winnow as Record<string, unknown>)[name], 'function', name)
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  assert.match(readme, /`sensitivity\(trials, baseline\)` \(exported from `'winnow'`/)
})
