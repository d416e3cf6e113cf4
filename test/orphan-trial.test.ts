// kill -9 of `winnow tune` leaves its trial processes running (their own process group). The next run must end
// them before it starts the trial again: two copies would share one checkpoint folder and double GPU memory.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow, winnowAsync, writeScriptStudy } from './cli-helpers.ts'

test('a quiet trial orphaned by kill -9 is ended before its recovered copy starts; the two never overlap', async () => {
  const dir = tempDir('winnow-orphan-')
  const writes = join(dir, 'writes.txt')
  // Writes its pid every 100 ms for 6 s without reporting anything (a long eval or checkpoint save), then finishes.
  const script = [
    "const fs = require('node:fs'), o = String.fromCharCode(123), c = String.fromCharCode(125)",
    'let n = 0',
    // No braces: they are placeholders in a study file's command.
    `const t = setInterval(() => (fs.appendFileSync(${JSON.stringify(writes)}, process.pid + "\\n"), ++n === 60 && (clearInterval(t), console.log("WINNOW " + o + '"type": "complete", "metrics": ' + o + '"loss": 1' + c + c))), 100)`,
  ].join('; ')
  writeScriptStudy(dir, { name: 'orphan', script, fields: 'metrics_from: {protocol: false}\nbudget: {trials: 1}' })
  const tuner = winnowAsync(['tune', 'study.yaml', '-q'], dir)
  const deadline = Date.now() + 30_000
  while (!(existsSync(writes) && readFileSync(writes, 'utf8').split('\n').length > 5) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100))
  tuner.child.kill('SIGKILL')
  await tuner.exited()
  const orphan = Number(readFileSync(writes, 'utf8').split('\n')[0])

  const again = winnow(['tune', 'study.yaml'], dir)
  assert.equal(again.code, 0, again.stderr)
  assert.match(
    again.stdout + again.stderr,
    /trial #0: its worker \(pid \d+\) is gone but the trial's processes \(pids \d+.*\) are still running; ending them/,
  )
  const pids = readFileSync(writes, 'utf8').trim().split('\n').map(Number)
  const first = pids.indexOf(pids.find((p) => p !== orphan)!)
  assert.ok(first > 0, 'the recovered copy ran')
  assert.ok(
    pids.slice(first).every((p) => p !== orphan),
    `the orphan wrote after its copy started: ${pids.join(' ')}`,
  )
  assert.throws(() => process.kill(orphan, 0), 'the orphan is gone')
  const json = JSON.parse(winnow(['export', 'orphan', '-f', 'json'], dir).stdout)
  assert.deepEqual(
    json.trials.map((t: { state: string }) => t.state),
    ['COMPLETE'],
  )
  // The killed attempt's time is counted, not only the re-run's.
  const attrs = json.trials[0].systemAttrs
  assert.equal(attrs.attempts, 2)
  assert.ok(
    attrs.wallSeconds > attrs.exit.durationSeconds + 0.4,
    `wall ${attrs.wallSeconds} s over both attempts, last ${attrs.exit.durationSeconds} s`,
  )
})
