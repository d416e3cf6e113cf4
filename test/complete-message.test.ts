// A trial's `complete` message is its result: one that cannot be read fails the trial (with why), over stdout lines
// and over HTTP alike, instead of the last report standing in for it.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('a complete message that cannot be read fails the trial; it is never replaced by the last report', () => {
  const cases: [string, string, RegExp][] = [
    ['string', '"hello"', /its complete message gave loss = "hello", not a number/],
    ['object', '{"a": 1}', /its complete message could not be read: The metric "loss" .* got \{"a":1\}/],
    ['python-nan', 'NaN', /non-finite|NaN/],
  ]
  for (const [name, value, reason] of cases) {
    const dir = tempDir('winnow-complete-')
    // The lines come from the environment: braces in a study file's command are placeholders, in env they are not.
    const report = 'WINNOW {"step": 3, "loss": 0.375}'
    const complete = `WINNOW {"type": "complete", "metrics": {"loss": ${value}}}`
    const env = `env: {REPORT: ${JSON.stringify(report)}, COMPLETE: ${JSON.stringify(complete)}}`
    const script = 'console.log(process.env.REPORT); console.log(process.env.COMPLETE)'
    writeScriptStudy(dir, { name, script, fields: `metrics_from: {protocol: false}\nbudget: {trials: 1}\n${env}` })
    const r = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(r.code, 1, `${name}: every trial failed\n${r.stdout}${r.stderr}`)
    const [trial] = JSON.parse(winnow(['export', name, '-f', 'json'], dir).stdout).trials
    assert.equal(trial.state, 'FAIL', name)
    assert.match(String(trial.systemAttrs.failReason), reason, name)
  }
})

test('over HTTP, a complete the endpoint cannot read is answered 400 and fails the trial', () => {
  const dir = tempDir('winnow-complete-http-')
  const body = '{"metrics": {"loss": {"a": 1}}}'
  // No braces (they are placeholders in a study file's command): the request options are built with Object.create.
  const script = [
    'const post = (type, body) => fetch(process.env.WINNOW_REPORT_URL + "/" + type, ',
    '(Object.assign(Object.create(null), ',
    '  ((h) => ((h.method = "POST"), (h.headers = ((x) => ((x.authorization = "Bearer " + process.env.WINNOW_TOKEN), x))(Object.create(null))), (h.body = body), h))(Object.create(null)))))',
    '; post("report", process.env.REPORT).then(() => post("complete", process.env.COMPLETE))',
    '.then((r) => console.log("complete answered " + r.status))',
  ].join('')
  const env = `env: {REPORT: ${JSON.stringify('{"step": 3, "loss": 0.375}')}, COMPLETE: ${JSON.stringify(body)}}`
  writeScriptStudy(dir, { name: 'http', script, fields: `budget: {trials: 1}\n${env}` })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 1, r.stdout + r.stderr)
  const [trial] = JSON.parse(winnow(['export', 'http', '-f', 'json'], dir).stdout).trials
  assert.equal(trial.state, 'FAIL')
  assert.match(String(trial.systemAttrs.failReason), /its complete message could not be read: The metric "loss"/)
  assert.deepEqual(
    trial.intermediate.map((iv: { value: number }) => iv.value),
    [0.375],
    'the report before it was heard',
  )
  const log = readFileSync(String(trial.systemAttrs.logFile), 'utf8')
  assert.match(log, /complete answered 400/)
})

test('a complete without a usable objective (null or missing) takes the latest report, as a clean exit does', () => {
  for (const [name, metrics] of [
    ['null-objective', '{"loss": null, "acc": 0.5}'],
    ['no-objective', '{"acc": 0.5}'],
  ]) {
    const dir = tempDir('winnow-complete-')
    const env = `env: {REPORT: ${JSON.stringify('WINNOW {"step": 3, "loss": 0.375}')}, COMPLETE: ${JSON.stringify(`WINNOW {"type": "complete", "metrics": ${metrics}}`)}}`
    const script = 'console.log(process.env.REPORT); console.log(process.env.COMPLETE)'
    writeScriptStudy(dir, { name, script, fields: `metrics_from: {protocol: false}\nbudget: {trials: 1}\n${env}` })
    assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0, name)
    const [trial] = JSON.parse(winnow(['export', name, '-f', 'json'], dir).stdout).trials
    assert.equal(trial.state, 'COMPLETE', name)
    assert.deepEqual(trial.values, [0.375], name)
  }
})
