// Every command that takes a study name takes its study file too: `winnow status study.yaml` right after
// `winnow tune study.yaml`, with the storage the file names (unless --storage says otherwise).
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('status, trials and best accept the study file in place of the study name', () => {
  const dir = tempDir('winnow-sfa-')
  writeScriptStudy(dir, {
    name: 'by-file',
    script: "console.log('loss=' + process.argv[1])",
    fields:
      'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.]+)"}\nbudget: {trials: 3}\nstorage: sqlite:kept/here.db',
  })
  mkdirSync(join(dir, 'kept'))
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  // From another folder: the file's relative sqlite path is the file's, not the working directory's.
  const elsewhere = tempDir('winnow-sfa-cwd-')
  const file = join(dir, 'study.yaml')
  const status = winnow(['status', file], elsewhere)
  assert.equal(status.code, 0, status.stderr)
  assert.match(status.stdout, /Study "by-file": 3 trials — 3 complete/)
  assert.match(winnow(['trials', file], elsewhere).stdout, /#2 +COMPLETE/)
  assert.equal(winnow(['best', file, '--json'], elsewhere).code, 0)
  // An explicit --storage wins over the file's.
  const other = winnow(['status', file, '--storage', 'memory:'], elsewhere)
  assert.equal(other.code, 2)
  assert.match(other.stderr, /Study "by-file" does not exist/)
})
