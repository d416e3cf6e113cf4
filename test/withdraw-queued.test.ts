// A continued study whose space was narrowed (by hand or `winnow focus --continue`) while sweep points were still
// queued: the stale points are withdrawn (PRUNED, not run, no budget used) and the sweep of the new space runs.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { Study } from '../src/core/study/study.ts'
import { openStorage } from '../src/storage/open-storage.ts'
import { tempDir, winnow, writeNodeStudy } from './cli-helpers.ts'

test('queued sweep points outside a narrowed space are withdrawn, and the new points run', async () => {
  const dir = tempDir('winnow-withdraw-')
  const file = writeNodeStudy(dir, { name: 'w', trials: 2, concurrency: 1, steps: 1, sleepMs: 1 })
  writeFileSync(file, readFileSync(file, 'utf8').replace('sampler: {type: random, seed: 3}', 'sampler: ofat'))
  // OFAT over lr in [0.01, 0.3], baseline 0.2: the baseline and levels 0.01, 0.0825, 0.155, 0.3 (0.2275 is the
  // baseline's own); a budget of 2 runs the baseline and 0.01 and leaves three queued.
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  writeFileSync(file, readFileSync(file, 'utf8').replace('low: 0.01, high: 0.3', 'low: 0.15, high: 0.25'))
  const r = winnow(['tune', 'study.yaml', '--trials', '10'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Stopped: exhausted/, 'the sweep ends; the withdrawn trials used no budget')
  assert.match(r.stdout, /withdrew 2 queued trial\(s\) the study's current space no longer allows \(#2, #4\)/)
  assert.doesNotMatch(r.stdout + r.stderr, /outside its distribution/)

  const storage = await openStorage(`sqlite:${dir}/winnow.db`)
  try {
    const trials = await (await Study.load({ storage, name: 'w' })).trials()
    const withdrawn = trials.filter((t) => t.systemAttrs.notRun === true)
    assert.deepEqual(
      withdrawn.map((t) => [t.number, t.state, t.startedAt]),
      [2, 4].map((n) => [n, 'PRUNED', null]),
    )
    assert.match(String(withdrawn[0].systemAttrs.pruneReason), /not run: queued with lr=0\.\d+, outside/)
    // 0.155 (#3) still fits and runs; so does the narrowed space's sweep: 4 new levels in [0.15, 0.25] (0.2
    // stands in for its nearest).
    const ran = trials.filter((t) => t.state === 'COMPLETE').map((t) => t.params.lr as number)
    assert.deepEqual(ran.slice(0, 3), [0.2, 0.01, 0.155])
    assert.equal(ran.length, 3 + 4, JSON.stringify(ran))
    for (const lr of ran.slice(2)) assert.ok(lr >= 0.15 && lr <= 0.25, String(lr))
  } finally {
    await storage.close()
  }
  assert.match(winnow(['trials', 'w', '--state', 'pruned'], dir).stdout, /not run: queued with lr=/)
  assert.match(winnow(['status', 'w'], dir).stdout, /9 trials — 7 complete, 2 pruned \(2 withdrawn unrun\),/)
  // The same sweep read by PED-ANOVA: warned that its design misleads that method.
  const imp = winnow(['importance', 'w', '-m', 'ped-anova'], dir)
  assert.match(imp.stderr, /"w" is a one-at-a-time sweep, whose trials PED-ANOVA misreads/)
  assert.doesNotMatch(winnow(['importance', 'w'], dir).stderr, /one-at-a-time/)
  // The sweep in the Markdown report: loss = (lr − 0.1)² + …, so of the levels run 0.15 is best; 0.2 the baseline.
  assert.equal(winnow(['report', 'w', '--out', dir], dir).code, 0)
  const md = readFileSync(join(dir, 'w-report.md'), 'utf8')
  assert.match(md, /9 trials: 7 complete, 2 pruned \(2 withdrawn unrun\)/)
  assert.match(md, /\| parameter \| objective range \| best level \(value\) \| baseline level \|/)
  assert.match(md, /\| lr \| [0-9.]+ \| 0\.15 \([0-9.]+\) \| 0\.2 \|/)
})
