// `winnow demo` (the README's first command), shortened: the built-in tiny-LM study runs for real.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow } from './cli-helpers.ts'

test('winnow demo tunes the tiny LM from its baseline and writes a report', () => {
  const dir = tempDir('winnow-demo-')
  const r = winnow(['demo', '--trials', '3', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Baseline #0: eval_loss \d/)
  assert.match(r.stdout, /Best +#\d+: eval_loss \d/)
  assert.match(r.stdout, /Study "tiny-lm-demo": 3 trials/)
  const report = join(dir, 'tiny-lm-demo-report.html')
  assert.ok(existsSync(report), 'report written')
  assert.match(readFileSync(report, 'utf8'), /Baseline vs best/)
  assert.ok(existsSync(join(dir, 'winnow-demo.db')))
})
