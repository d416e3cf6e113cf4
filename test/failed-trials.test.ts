// Failed trials as a user meets them: why each ended in `winnow trials`, the stored output with --logs, the run's
// exit status (1 when nothing in it succeeded, 130 after Ctrl-C), and the fail-fast stop for a missing program.
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir, winnow, winnowAsync, writeNodeStudy, writeScriptStudy } from './cli-helpers.ts'

test('a missing program or working folder is refused before anything is stored (exit 2, located)', () => {
  const dir = tempDir('winnow-failed-')
  const study = (command: string, extra = '') =>
    `name: gone\nmetric: {name: loss}\ncommand: ${command}\nspace: {x: {type: float, low: 0, high: 1}}\nbudget: {trials: 10}\n${extra}`
  const cases: [string, RegExp][] = [
    [
      study('[no-such-program-winnow-test, "{x}"]'),
      /study\.yaml:3:\d+ command\[0\]: is "no-such-program-winnow-test", which is not a program on PATH/,
    ],
    [study('[./train.sh, "{x}"]'), /study\.yaml:3:\d+ command\[0\]: names .*train\.sh, which does not exist/],
    [
      study('[node, "{x}"]', 'cwd: no/such/folder\n'),
      /study\.yaml:6:\d+ cwd: is .*no\/such\/folder, which does not exist/,
    ],
  ]
  for (const [text, message] of cases) {
    writeFileSync(join(dir, 'study.yaml'), text)
    const r = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, message)
    assert.equal(existsSync(join(dir, 'winnow.db')), false, 'nothing stored')
  }
  writeFileSync(join(dir, 'train.sh'), '#!/bin/sh\necho hi\n')
  writeFileSync(join(dir, 'study.yaml'), study('[./train.sh, "{x}"]'))
  assert.match(
    winnow(['tune', 'study.yaml', '-q'], dir).stderr,
    /train\.sh, which is not executable\. Run `chmod \+x \.\/train\.sh`/,
  )
})

test('trials that all fail the same way stop the run after 3 with exit 1 and say what to fix', () => {
  const dir = tempDir('winnow-failed-')
  const script = 'console.error("ModuleNotFoundError: No module named peft"); process.exit(1)'
  writeScriptStudy(dir, { name: 'gone', script, fields: 'budget: {trials: 10}' })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 1, r.stderr)
  assert.match(
    r.stderr,
    /the first 3 trials all failed the same way, .*No module named peft\. Fix this and run the same command again; the study continues/,
  )
  assert.match(r.stdout, /winnow trials study\.yaml --state fail --logs/)
  assert.match(r.stdout, /3 trials — 0 complete/)
  assert.doesNotMatch(r.stdout, /budget reached/)
  // With the budget used up by the failures, "run again" alone would run nothing: it says how to go on.
  const small = tempDir('winnow-failed-')
  writeScriptStudy(small, { name: 'small', script, fields: 'budget: {trials: 3}' })
  const s = winnow(['tune', 'study.yaml', '-q'], small)
  assert.equal(s.code, 1, s.stderr)
  assert.match(
    s.stderr,
    /Fix this and run again with --trials N, N > 3 \(the failed trials count toward the trial budget of 3\)/,
  )
})

test('with retries, failures whose retry is queued do not trigger the fail-fast stop: the retries run', () => {
  const dir = tempDir('winnow-failed-')
  // Each configuration fails on its first run (a flaky GPU) and succeeds when retried with the same parameters.
  const script = `const fs = require('fs'); const x = process.argv.at(-1); const mark = 'ran-' + x
const first = !fs.existsSync(mark); fs.writeFileSync(mark, '')
if (first) console.error('CUDA error: unspecified launch failure'), process.exit(1)
console.log('loss=' + x)`
  writeScriptStudy(dir, {
    name: 'flaky',
    script,
    fields: 'budget: {trials: 3}\nretries: 1\nmetrics_from: {stdout_pattern: "loss=(?<loss>[0-9.]+)"}',
  })
  const r = winnow(['tune', 'study.yaml', '-q', '-j', '3'], dir)
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.doesNotMatch(r.stderr, /failed the same way/)
  assert.match(r.stdout, /3 complete/)
})

test('with retries, a failure a retry reproduced word for word is not retried again: a broken setup stops soon', () => {
  const dir = tempDir('winnow-failed-')
  const script = 'console.error("ModuleNotFoundError: No module named peft"); process.exit(1)'
  writeScriptStudy(dir, { name: 'broken', script, fields: 'budget: {trials: 10}\nretries: 2' })
  const r = winnow(['tune', 'study.yaml', '-q', '-j', '1'], dir)
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /failed the same way, .*No module named peft/)
  // The baseline and its one retry (which reproduced the failure: that chain stops), trial #2 and its retry (the
  // second configuration to reproduce it: the reason is no longer transient), then #4, not retried: 5 attempts, not
  // 9 — and one unlucky double failure of a flaky error does not switch retries off for the run.
  const rows = winnow(['trials', 'broken'], dir).stdout.trim().split('\n').slice(1)
  assert.equal(rows.length, 5, rows.join('\n'))
  const x = rows.map((r) => /x=([0-9.e-]+)/.exec(r)?.[1])
  assert.equal(x[1], x[0], '#1 retries the baseline')
  assert.equal(x[3], x[2], '#3 retries #2')
  assert.notEqual(x[4], x[2], '#4 is a new configuration, not retried')
})

test('trials says why each failed and --logs prints the output; a run where every trial failed exits 1', () => {
  const dir = tempDir('winnow-failed-')
  // Each trial fails differently (its exit code and message depend on x), so the fail-fast stop does not apply.
  const script =
    'const x = Number(process.argv[1]); console.log("loading model"); console.error("boom at x=" + x); process.exit(2 + Math.floor(x * 50))'
  writeScriptStudy(dir, { name: 'bad', script, fields: 'sampler: {type: random, seed: 1}\nbudget: {trials: 4}' })
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /all 4 trials of this run failed; the summary below says how to see why/)
  assert.match(r.stdout, /Why the failed trials failed: winnow trials study\.yaml --state fail --logs/)
  const status = winnow(['status', 'bad'], dir).stdout
  assert.match(status, /Why the failed trials failed: winnow trials bad --state fail --logs/)
  // Nothing to save (every trial failed at start), but what the trials cost is still counted.
  assert.match(status, /^Compute: 4 trials ran \d+\.\d s in all\.$/m)
  const list = winnow(['trials', 'bad', '--state', 'fail'], dir)
  assert.equal(list.code, 0, list.stderr)
  assert.match(list.stdout, /why it ended/)
  assert.match(list.stdout, /#0 \(baseline\)\s+FAIL .*trial exited with exit code 27: boom at x=0\.5/)
  const logs = winnow(['trials', 'bad', '--state', 'FAIL', '--logs', '--limit', '2'], dir)
  assert.equal(logs.code, 0, logs.stderr)
  assert.equal(logs.stdout.match(/^#\d+ exit code \d+:$/gm)?.length, 2)
  assert.match(logs.stdout, /^ {2}loading model$/m)
  assert.match(logs.stdout, /^ {2}boom at x=/m)
  const bogus = winnow(['trials', 'bad', '--state', 'broken'], dir)
  assert.equal(bogus.code, 2)
  assert.match(bogus.stderr, /"broken" is not a trial state\. Use one of .*COMPLETE/)
})

test('trials --limit keeps the gain over the baseline when the baseline row is not shown', () => {
  const dir = tempDir('winnow-failed-')
  writeNodeStudy(dir, { name: 'lim', trials: 4, concurrency: 1, steps: 2, sleepMs: 1 })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const r = winnow(['trials', 'lim', '--limit', '1'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /#3\s+COMPLETE\s+\S+\s+[+-]\d+(\.\d+)? %/)
})

test('trials --sort value lists the best first (by the study direction); with --limit, the best n', () => {
  const dir = tempDir('winnow-failed-')
  writeNodeStudy(dir, { name: 'sorted', trials: 5, concurrency: 1, steps: 2, sleepMs: 1 })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const rows = (args: string[]) => {
    const r = winnow(['trials', 'sorted', ...args], dir)
    assert.equal(r.code, 0, r.stderr)
    return r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => ({ number: Number(/^#(\d+)/.exec(line)?.[1]), value: Number(line.split(/\s{2,}/)[2]) }))
  }
  const byNumber = rows([])
  assert.deepEqual(
    byNumber.map((r) => r.number),
    [0, 1, 2, 3, 4],
  )
  const byValue = rows(['--sort', 'value'])
  assert.deepEqual(
    byValue.map((r) => r.value),
    byNumber.map((r) => r.value).sort((a, b) => a - b),
    'eval_loss is minimized: lowest first',
  )
  const best = JSON.parse(winnow(['best', 'sorted', '--json'], dir).stdout)[0].number
  assert.deepEqual(
    rows(['--sort', 'value', '--limit', '1']).map((r) => r.number),
    [best],
  )
  assert.match(winnow(['trials', '--help'], dir).stdout, /several objectives, by the first one/)
})

test('Ctrl-C ends the run with exit status 130, SIGTERM with 0, and the same command continues it', async () => {
  const dir = tempDir('winnow-failed-')
  writeNodeStudy(dir, { name: 'int', trials: 3, concurrency: 1, steps: 30, sleepMs: 60 })
  const tuner = winnowAsync(['tune', 'study.yaml', '-q'], dir)
  await tuner.until((out) => /winnow: study/.test(out), 30_000)
  await new Promise((r) => setTimeout(r, 800))
  tuner.child.kill('SIGINT')
  const code = await tuner.exited()
  const out = tuner.output()
  assert.equal(code, 130, out)
  assert.match(out, /Stopped: aborted/)
  assert.match(out, /^Run the same command again to continue\.$/m)
  // A supervisor's SIGTERM (systemd, Kubernetes, scancel) is the same clean stop, and a successful exit.
  const worker = winnowAsync(['tune', 'study.yaml', '-q'], dir)
  await worker.until((o) => /winnow: study/.test(o), 30_000)
  await new Promise((r) => setTimeout(r, 800))
  worker.child.kill('SIGTERM')
  assert.equal(await worker.exited(), 0, worker.output())
  assert.match(worker.output(), /Stopped: aborted/)
  const again = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /3 trials — 3 complete/)
})

test('a second Ctrl-C kills a trial that ignores SIGTERM at once and still re-queues it', async () => {
  const dir = tempDir('winnow-failed-')
  // The trial ignores SIGTERM: the first Ctrl-C would wait out the 30 s grace period.
  writeScriptStudy(dir, {
    name: 'stubborn',
    script: 'process.on("SIGTERM", () => 0); console.log("started"); setInterval(() => 0, 1000)',
    fields: 'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.eE+-]+)"}\nbudget: {trials: 2}',
  })
  const tuner = winnowAsync(['tune', 'study.yaml'], dir)
  await tuner.until((out) => /winnow: study/.test(out), 30_000)
  await new Promise((r) => setTimeout(r, 1000))
  const t0 = Date.now()
  tuner.child.kill('SIGINT')
  await new Promise((r) => setTimeout(r, 500))
  tuner.child.kill('SIGINT')
  const code = await tuner.exited()
  assert.equal(code, 130, tuner.output())
  assert.ok(Date.now() - t0 < 15_000, `stopped in ${Date.now() - t0} ms, not after the 30 s grace period`)
  assert.match(tuner.output(), /stopping: the running trials get up to 30 s to save and exit, then are re-queued/)
  assert.match(tuner.output(), /second Ctrl-C: killing the running trials now; they are re-queued/)
  const status = winnow(['status', 'study.yaml'], dir)
  assert.match(status.stdout, /0 running, 1 waiting/, status.stdout)
})

test('a baseline that failed (a broken setup, since fixed) is run again when the study continues', () => {
  const dir = tempDir('winnow-failed-')
  // Every trial fails until the file "ready" exists: the setup is broken, then fixed.
  const script =
    'if (!require("fs").existsSync("ready")) process.exit(3); console.log("loss=" + Number(process.argv[1]) ** 2)'
  writeScriptStudy(dir, {
    name: 'rebase',
    script,
    fields: 'metrics_from: {stdout_pattern: "loss=(?<loss>[0-9.eE+-]+)"}\nbudget: {trials: 6}',
  })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 1, 'the broken setup stops the run')
  writeFileSync(join(dir, 'ready'), '')
  const fixed = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(fixed.code, 0, fixed.stderr)
  assert.match(fixed.stdout, /Baseline #3: loss 0\.25/)
  assert.match(fixed.stdout, /Best +#\d+: loss .* vs baseline/)
})

test('the failure hint names the storage: the study file after tune, --storage after status when not the default', () => {
  const dir = tempDir('winnow-failed-')
  const script = 'console.error("boom " + process.argv[1]); process.exit(3)'
  writeScriptStudy(dir, { name: 'elsewhere', script, fields: 'budget: {trials: 2}\nstorage: sqlite:runs/other.db' })
  const hint = /Why the failed trials failed: winnow trials (.*) --state fail --logs$/m
  const r = winnow(['tune', 'study.yaml', '-q'], dir)
  assert.equal(hint.exec(r.stdout)?.[1], 'study.yaml', r.stdout)
  const byName = winnow(['status', 'elsewhere', '--storage', 'sqlite:runs/other.db'], dir).stdout
  assert.equal(hint.exec(byName)?.[1], 'elsewhere --storage sqlite:runs/other.db', byName)
  assert.equal(hint.exec(winnow(['status', 'study.yaml'], dir).stdout)?.[1], 'study.yaml')
  // Both commands it prints work from here (the bare name would look for ./winnow.db).
  for (const args of ['study.yaml', 'elsewhere --storage sqlite:runs/other.db']) {
    const logs = winnow(['trials', ...args.split(' '), '--state', 'fail', '--logs'], dir)
    assert.equal(logs.code, 0, logs.stderr)
    assert.match(logs.stdout, /boom/)
  }
})
