// The README's complete study-file examples must load: users paste them.
import assert from 'node:assert/strict'
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
