// A finite sweep (OFAT, grid) larger than the trial budget: the run says how many points it will not reach, and at
// the end how to finish the sweep, instead of a bare "Stopped: trials" with points left waiting.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { tempDir, winnow, writeScriptStudy } from './cli-helpers.ts'

test('an OFAT sweep stopped by the trial budget says how many points are left and the --trials that finishes it', () => {
  const dir = tempDir('winnow-sweep-')
  writeScriptStudy(dir, {
    name: 'sweep',
    script: 'console.log("loss=" + process.argv[1])',
    fields: 'sampler: {type: ofat}\nbudget: {trials: 3}\nmetrics_from: {stdout_pattern: "loss=(?<loss>[0-9.]+)"}',
  })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(
    r.stdout,
    /5 sweep points to run \(the trial budget of 3 stops before the end; --trials 5 runs them all\)/,
  )
  assert.match(r.stdout, /Stopped: trials\./)
  assert.match(r.stdout, /^2 sweep points not run yet; run again with --trials 5 to finish the sweep\.$/m)
  const rest = winnow(['tune', 'study.yaml', '-q', '--trials', '5'], dir)
  assert.equal(rest.code, 0, rest.stderr)
  assert.match(rest.stdout, /5 trials — 5 complete/)
  assert.doesNotMatch(rest.stdout, /not run yet/)
})
