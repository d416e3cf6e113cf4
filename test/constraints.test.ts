// `constraints:` in a study file: bounds on reported metrics. A completed trial that breaks one, or does not report
// the metric, is infeasible: never the best, shown with the reason, and a bad constraint is a located error.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow } from './cli-helpers.ts'

// loss is best at x = 0.95, but mem = 10·x may be at most 6, so the best feasible trial is x = 0.6; x = 0.05
// reports no mem at all. Braces are placeholders in a study file's command, so the script builds objects without them.
const script = [
  'const x = Number(process.argv[1])',
  'const metrics = [["loss", (x - 0.95) ** 2]].concat(x < 0.1 ? [] : [["mem", 10 * x]])',
  'console.log("WINNOW " + JSON.stringify(Object.fromEntries([["type", "complete"], ["metrics", Object.fromEntries(metrics)]])))',
].join('; ')

const study = (constraints: string) => `name: c
metric: {name: loss}
command: [node, -e, ${JSON.stringify(script)}, "{x}"]
space: {x: {type: categorical, choices: [0.05, 0.3, 0.5, 0.6, 0.8, 0.95]}}
baseline: {x: 0.5}
sampler: grid
budget: {trials: 6}
constraints: ${constraints}
`

test('a trial that breaks a constraint or does not report its metric is never the best, and says why', () => {
  const dir = tempDir('winnow-constraints-')
  writeFileSync(join(dir, 'study.yaml'), study('[{metric: mem, max: 6}]'))
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Best +#\d+: loss 0\.1225\b/, 'x = 0.6 is the best feasible trial, not x = 0.95 (loss 0)')
  assert.match(r.stdout, /6 trials — 6 complete \(3 infeasible\), 0 pruned/)
  const best = JSON.parse(winnow(['best', 'c', '--json'], dir).stdout)
  assert.equal(best[0].params.x, 0.6)
  const trials = winnow(['trials', 'c'], dir).stdout
  assert.match(trials, /COMPLETE .*infeasible: mem 9\.5 > max 6/)
  const onlyInfeasible = winnow(['trials', 'c', '--state', 'infeasible'], dir).stdout.trim().split('\n')
  assert.equal(onlyInfeasible.length, 1 + 3, onlyInfeasible.join('\n'))
  assert.match(trials, /COMPLETE .*infeasible: mem was not reported \(the trial reported loss\)/)
  const json = JSON.parse(winnow(['export', 'c', '-f', 'json'], dir).stdout)
  const byX = new Map(json.trials.map((t: { params: { x: number } }) => [t.params.x, t]))
  const attrs = (x: number) => (byX.get(x) as { systemAttrs: Record<string, unknown> }).systemAttrs
  assert.deepEqual(attrs(0.5).constraints, [-1], 'feasible: how far below the bound')
  assert.deepEqual(attrs(0.05).constraints, [null], 'an unchecked constraint is stored as null')
  assert.ok(Math.abs((attrs(0.8).constraints as number[])[0] - 2) < 1e-9)
  assert.deepEqual(attrs(0.8).metrics, { loss: (0.8 - 0.95) ** 2, mem: 8 }, 'the final metrics are kept')
  const csv = winnow(['export', 'c', '-f', 'csv'], dir).stdout.trim().split('\n')
  const col = csv[0].split(',').indexOf('feasible')
  assert.ok(col > 0, csv[0])
  assert.deepEqual(
    csv
      .slice(1)
      .map((line) => line.split(',')[col])
      .sort(),
    ['0', '0', '0', '1', '1', '1'],
  )
  // Dropping (or changing) the constraints of a stored study is refused: its trials' values follow the old ones.
  writeFileSync(join(dir, 'study.yaml'), study('[]').replace('budget: {trials: 6}', 'budget: {trials: 7}'))
  const dropped = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(dropped.code, 2, dropped.stderr)
  assert.match(
    dropped.stderr,
    /constraints: are none, but study "c" .* was created with \[\{"metric":"mem","max":6\}\]/,
  )
  // When no trial meets the constraints there is no best: status, best and the report say so.
  writeFileSync(join(dir, 'study.yaml'), study('[{metric: mem, max: 0.1}]').replace('name: c', 'name: none-ok'))
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const none = /No completed trial meets the constraints \(6 completed, all infeasible\)/
  assert.match(winnow(['status', 'none-ok'], dir).stdout, none)
  assert.match(winnow(['status', 'none-ok'], dir).stdout, /all infeasible\): winnow trials none-ok says why\./)
  assert.match(winnow(['best', 'none-ok'], dir).stdout, none)
  assert.deepEqual(JSON.parse(winnow(['best', 'none-ok', '--json'], dir).stdout), [])
  assert.equal(winnow(['report', 'none-ok', '-o', 'r'], dir).code, 0)
  const markdown = readFileSync(join(dir, 'r', 'none-ok-report.md'), 'utf8')
  assert.match(markdown, none)
  assert.match(markdown, /6 trials: 6 complete \(6 breaking a constraint\), 0 pruned/)
})

test('a constraint metric is taken from the latest report that carried it, when the result does not', () => {
  const dir = tempDir('winnow-constraints-reports-')
  // Step 1 reports loss and mem, step 2 only loss; no complete message (the last report is the result).
  const reports = [
    'const x = Number(process.argv[1]), line = (e) => console.log("WINNOW " + JSON.stringify(Object.fromEntries(e)))',
    'line([["step", 1], ["loss", x + 1], ["mem", 10 * x]])',
    'line([["step", 2], ["loss", x]])',
  ].join('; ')
  writeFileSync(
    join(dir, 'study.yaml'),
    study('[{metric: mem, max: 6}]').replace(JSON.stringify(script), JSON.stringify(reports)),
  )
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const json = JSON.parse(winnow(['export', 'c', '-f', 'json'], dir).stdout)
  const byX = new Map(json.trials.map((t: { params: { x: number } }) => [t.params.x, t]))
  const attrs = (x: number) => (byX.get(x) as { systemAttrs: Record<string, unknown> }).systemAttrs
  assert.deepEqual(attrs(0.5).constraints, [-1])
  assert.deepEqual(attrs(0.5).metrics, { loss: 0.5, mem: 5 }, 'every reported metric is kept, latest values')
  assert.match(String(attrs(0.8).infeasibleReason), /^infeasible: mem 8 > max 6$/)
  assert.equal(JSON.parse(winnow(['best', 'c', '--json'], dir).stdout)[0].params.x, 0.05)
})

test('a focused follow-up keeps the constraints, and tune runs it', () => {
  const dir = tempDir('winnow-constraints-focus-')
  const text = study('[{metric: mem, max: 6}]')
    .replace(
      'space: {x: {type: categorical, choices: [0.05, 0.3, 0.5, 0.6, 0.8, 0.95]}}',
      'space: {x: {type: float, low: 0.1, high: 1}}',
    )
    .replace('sampler: grid', 'sampler: {type: random, seed: 3}')
    .replace('budget: {trials: 6}', 'budget: {trials: 10}')
  writeFileSync(join(dir, 'study.yaml'), text)
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const focus = winnow(['focus', 'c', '--keep', '1'], dir)
  assert.equal(focus.code, 0, focus.stderr)
  assert.match(readFileSync(join(dir, 'c-focused.yaml'), 'utf8'), /constraints: \[ ?\{ ?metric: mem, max: 6 ?\} ?\]/)
  const r = winnow(['tune', 'c-focused.yaml', '-q', '--trials', '2'], dir)
  assert.equal(r.code, 0, r.stderr)
})

test('a constraint without a bound, or with min above max, is a located error and nothing is written', () => {
  const dir = tempDir('winnow-constraints-bad-')
  for (const [text, re] of [
    ['[{metric: mem}]', /study\.yaml:8:\d+ constraints\[0\]: has neither max nor min.*e\.g\. \{metric: mem, max: 40\}/],
    ['[{metric: mem, min: 5, max: 2}]', /study\.yaml:8:\d+ constraints\[0\]: has min 5 above max 2.*Swap them/],
    ['[{metric: mem, maximum: 2}]', /study\.yaml:8:\d+ constraints\[0\]/],
  ] as const) {
    writeFileSync(join(dir, 'study.yaml'), study(text))
    const r = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, re)
    assert.ok(!existsSync(join(dir, 'winnow.db')), 'nothing may be written to storage')
  }
})

test('a baseline that breaks a constraint is flagged wherever the gain over it is shown', () => {
  const dir = tempDir('winnow-constraints-')
  // The baseline x = 0.5 uses mem 5 > 4.
  writeFileSync(join(dir, 'study.yaml'), study('[{metric: mem, max: 4}]'))
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  const caveat =
    /The baseline #0 breaks a constraint \(mem 5 > max 4\): the gain compares with a configuration you could not use\./
  assert.match(winnow(['status', 'c'], dir).stdout, caveat)
  assert.equal(winnow(['report', 'c', '--out', join(dir, 'r')], dir).code, 0)
  // Markdown escapes # and > (\\#0 and &gt; render as #0 and >).
  assert.match(
    readFileSync(join(dir, 'r', 'c-report.md'), 'utf8'),
    /The baseline \\#0 breaks a constraint \(mem 5 &gt; max 4\)/,
  )
  assert.match(
    readFileSync(join(dir, 'r', 'c-report.html'), 'utf8'),
    /The baseline #0 breaks a constraint \(mem 5 &gt; max 4\)/,
  )
})
