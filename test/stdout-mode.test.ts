// metrics_from: {protocol: false}: no HTTP endpoint, and the `WINNOW {...}` lines the clients then print are read
// (clients/PROTOCOL.md, "stdout lines").
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('with protocol: false the WINNOW lines a trial prints are its reports and its result', () => {
  const dir = tempDir('winnow-stdout-')
  // Braces are placeholders in a study file's command, so the script builds them from char codes.
  const script = [
    'const o = String.fromCharCode(123), c = String.fromCharCode(125), x = Number(process.argv[1])',
    'console.log("url=" + (process.env.WINNOW_REPORT_URL ?? ""))',
    'console.log("WINNOW " + o + \'"step": 5, "loss": \' + (x + 1) + c)',
    'console.log("WINNOW " + o + \'"type": "complete", "metrics": \' + o + \'"loss": \' + x + c + c)',
  ].join('; ')
  writeScriptStudy(dir, { name: 'lines', script, fields: 'metrics_from: {protocol: false}\nbudget: {trials: 1}' })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  const json = JSON.parse(winnow(['export', 'lines', '-f', 'json'], dir).stdout)
  const [baseline] = json.trials
  assert.deepEqual(baseline.values, [0.5])
  assert.deepEqual(
    baseline.intermediate.map((iv: { step: number; value: number }) => [iv.step, iv.value]),
    [[5, 1.5]],
  )
})
