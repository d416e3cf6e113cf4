// The reproducibility record names the code each run used: `winnow tune` records its host, versions and the git
// state of the study file's folder when it starts; the report shows that, not only the state at report time.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('the report shows the commit each run started from, beside the one at report time', () => {
  const dir = tempDir('winnow-runs-')
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q')
  writeScriptStudy(dir, {
    name: 'runs',
    script: "console.log('loss=' + process.argv[1])",
    fields: 'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.]+)"}\nbudget: {trials: 2}',
  })
  writeFileSync(join(dir, '.gitignore'), 'winnow.db*\n.winnow/\n')
  git('add', '.')
  git('commit', '-q', '-m', 'first')
  const first = git('rev-parse', 'HEAD')
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  // Then the code moves on, with a file never committed.
  writeFileSync(join(dir, 'notes.txt'), 'later')
  git('commit', '-q', '--allow-empty', '-m', 'second')
  const second = git('rev-parse', 'HEAD')
  assert.equal(winnow(['report', 'runs', '--out', dir], dir).code, 0)
  const md = readFileSync(join(dir, 'runs-report.md'), 'utf8')
  assert.match(md, new RegExp(`run 1 of 1 \\| .*from trial \\\\?#0, on .*git ${first} \\(clean\\)`))
  assert.match(md, new RegExp(`git now \\(at this report\\) \\| ${second} \\(1 untracked file\\)`))
})
