// A study with two objectives through the CLI: the summary shows the baseline and the Pareto front, as `best` does.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('status of a two-objective study shows the baseline and the same Pareto front as best', () => {
  const dir = tempDir('winnow-mo-')
  // loss and cost pull x in opposite directions on [0, 1], so every trial is on the front; x = 2 costs more.
  const script = "const x = Number(process.argv[1]); console.log('loss=' + (x - 1) ** 2 + ' cost=' + x * x)"
  writeScriptStudy(dir, {
    name: 'mo',
    metric: 'metrics: [{name: loss, direction: minimize}, {name: cost, direction: minimize}]',
    script,
    high: 2,
    fields: [
      'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.eE+-]+) cost=(?<cost>[0-9.eE+-]+)"}',
      'sampler: {type: random, seed: 2}',
      'budget: {trials: 8}',
    ].join('\n'),
  })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  const status = winnow(['status', 'mo'], dir).stdout
  assert.match(status, /Baseline #0: loss 0\.25 \(minimize\), cost 0\.25 \(minimize\)/)
  const front = Number(/Pareto front: (\d+) trials?/.exec(status)?.[1])
  const best = JSON.parse(winnow(['best', 'mo', '--json'], dir).stdout) as { number: number }[]
  assert.equal(front, best.length)
  assert.ok(front >= 1 && front < 8, `points with x > 1 are dominated by x = 1: front ${front} of 8`)
  for (const t of best.slice(0, 10)) assert.match(status, new RegExp(`^ {2}#${t.number}: loss `, 'm'))
  // Each front trial and each row of `trials` against the baseline, one gain per objective: with loss = (x − 1)²
  // and cost = x², a gain in one is paid in the other (x on [0, 1]).
  const other = best.find((t) => t.number !== 0)
  if (other !== undefined)
    assert.match(status, new RegExp(`#${other.number}: .* — vs baseline: loss [+-]\\d+\\.\\d %, cost [+-]\\d+\\.\\d %`))
  const rows = winnow(['trials', 'mo'], dir).stdout.split('\n')
  assert.match(rows[1], /^#0 \(baseline\) +COMPLETE +0\.25, 0\.25 +\+0\.0 %, \+0\.0 %/)
  assert.equal(winnow(['report', 'mo', '--out', dir], dir).code, 0)
  const md = readFileSync(join(dir, 'mo-report.md'), 'utf8')
  assert.match(md, /\| trial \| loss \| cost \| vs baseline \|/)
  assert.match(md, /\| \\#0 \(baseline\) \| 0\.25 \| 0\.25 \| \+0\.0 %, \+0\.0 % \|/)
})

test('with constraints the Pareto front holds feasible trials only; none feasible is said in plain words', () => {
  const dir = tempDir('winnow-mo-c-')
  const script = "const x = Number(process.argv[1]); console.log('loss=' + (x - 1) ** 2 + ' cost=' + x * x)"
  const study = (name: string, max: number) =>
    writeScriptStudy(dir, {
      name,
      metric: 'metrics: [{name: loss, direction: minimize}, {name: cost, direction: minimize}]',
      script,
      fields: [
        'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.eE+-]+) cost=(?<cost>[0-9.eE+-]+)"}',
        'sampler: {type: random, seed: 2}',
        'budget: {trials: 8}',
        `constraints: [{metric: cost, max: ${max}}]`,
      ].join('\n'),
    })
  study('feasible-half', 0.25) // x <= 0.5
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const best = JSON.parse(winnow(['best', 'feasible-half', '--json'], dir).stdout) as { params: { x: number } }[]
  assert.ok(best.length >= 1)
  for (const t of best) assert.ok(t.params.x <= 0.5, `x ${t.params.x} breaks cost <= 0.25`)
  assert.equal(winnow(['report', 'feasible-half', '--out', dir], dir).code, 0)
  const md = readFileSync(join(dir, 'feasible-half-report.md'), 'utf8')
  const counts = /(\d+) of the (\d+) feasible complete trials are on the front \((\d+) more broke a constraint\)/.exec(
    md,
  )
  assert.ok(counts, md.slice(md.indexOf('## Pareto front'), md.indexOf('## Pareto front') + 300))
  assert.equal(Number(counts[2]) + Number(counts[3]), 8, 'all 8 completed: the feasible ones plus the rest')
  // The baseline x = 0.5 costs 0.25 <= 0.25: feasible. With a tighter bound it breaks it, and status says so.
  study('tight', 0.2)
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const tight = winnow(['status', 'tight'], dir).stdout
  assert.match(tight, /The baseline #0 breaks a constraint \(cost 0\.25 > max 0\.2\): comparing with it compares/)
  assert.match(tight, /Pareto front: \d+ trials? no other feasible trial beats on every objective/)
  study('none-feasible', -1)
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  assert.match(
    winnow(['status', 'none-feasible'], dir).stdout,
    /No completed trial meets the constraints \(8 completed, all infeasible\): winnow trials none-feasible says why\./,
  )
})
