// The `winnow` command end to end: real subprocesses, real SQLite files, real trial processes.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { openStorage } from '../src/storage/open-storage.ts'
import { tempDir, winnow, winnowAsync, writeNodeStudy } from './cli-helpers.ts'

describe('winnow CLI', () => {
  test('usage errors print one line and exit 2', () => {
    const dir = tempDir()
    const r = winnow(['trials'], dir)
    assert.equal(r.code, 2)
    const unknown = winnow(['frobnicate'], dir)
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /unknown command 'frobnicate'/)
    const missing = winnow(['trials', 'nope'], dir)
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /No Winnow storage at .*winnow\.db .*the file does not exist/)
    assert.equal(missing.stderr.trim().split('\n').length, 1)
    assert.ok(!existsSync(join(dir, 'winnow.db')), 'a read command creates no database')
  })

  test('a --storage path through a file, or naming a folder, is a usage error with the fix (exit 2)', () => {
    const dir = tempDir()
    writeNodeStudy(dir, { name: 'paths', trials: 1, concurrency: 1, steps: 1, sleepMs: 1 })
    writeFileSync(join(dir, 'notes.txt'), 'a file')
    const through = winnow(['tune', 'study.yaml', '--storage', `sqlite:${join(dir, 'notes.txt', 'x.db')}`], dir)
    assert.equal(through.code, 2, through.stderr)
    assert.match(through.stderr, /Cannot create the folder .*notes\.txt for sqlite:.*: a part of that path is a file/)
    const folder = winnow(['tune', 'study.yaml', '--storage', `sqlite:${dir}`], dir)
    assert.equal(folder.code, 2, folder.stderr)
    assert.match(folder.stderr, /is a folder, not a SQLite file; name a file in it, e\.g\. sqlite:.*winnow\.db/)
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'a file')
  })

  test('a storage that cannot be reached exits 3 (not 1, which means the trials failed) and says what to check', () => {
    const r = winnow(['status', 'any', '--storage', 'postgres://winnow@127.0.0.1:1/nothing'], tempDir())
    assert.equal(r.code, 3, r.stderr)
    assert.match(
      r.stderr,
      /Cannot connect to postgres:\/\/winnow@127\.0\.0\.1:1\/nothing: .*Check that the server runs/,
    )
  })

  test('bad study files give a located one-line error, exit 2, and write nothing', () => {
    const dir = tempDir()
    const bad: Record<string, [string, RegExp]> = {
      typo: [
        'name: a\nmetric: {name: loss}\ncommand: [x]\nspace: {x: {type: float, low: 0, high: 1}}\nschedular: asha\n',
        /study\.yaml:5:1 .*schedular.*scheduler/,
      ],
      range: [
        'name: a\nmetric: {name: loss}\ncommand: [x]\nspace:\n  lr: {type: float, low: 0, high: 1, log: true}\n',
        /study\.yaml:5:\d+ space\.lr/,
      ],
      shell: [
        'name: a\nmetric: {name: loss}\ncommand: "python train.py"\nspace: {x: {type: float, low: 0, high: 1}}\n',
        /study\.yaml:3:\d+ command: must be a list/,
      ],
      baseline: [
        'name: a\nmetric: {name: loss}\ncommand: [x]\nspace: {x: {type: float, low: 0, high: 1}}\nbaseline: {x: 5}\n',
        /study\.yaml:5:\d+ baseline\.x/,
      ],
    }
    for (const [label, [text, re]] of Object.entries(bad)) {
      writeFileSync(join(dir, 'study.yaml'), text)
      const r = winnow(['tune', 'study.yaml'], dir)
      assert.equal(r.code, 2, `${label}: ${r.stderr}`)
      assert.match(r.stderr, re, label)
      assert.ok(!existsSync(join(dir, 'winnow.db')), `${label}: nothing may be written to storage`)
    }
  })

  test('tune runs a study with its baseline first; status, trials, best, export and delete read it', () => {
    const dir = tempDir()
    writeNodeStudy(dir, { name: 'cli-e2e', trials: 5, concurrency: 2, steps: 3, sleepMs: 5 })
    const r = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Stopped: trials/)
    assert.match(r.stdout, /Baseline #0: eval_loss/)
    assert.match(r.stdout, /Best +#\d+: eval_loss .* vs baseline/)
    const none = winnow(['tune', 'study.yaml', '-q', '--trials', '2'], dir)
    assert.equal(none.code, 0, none.stderr)
    assert.match(none.stdout, /Nothing was run: the study already has 5 trials.*Pass --trials N with N > 5/)
    const trials = winnow(['trials', 'cli-e2e'], dir)
    assert.equal(trials.code, 0, trials.stderr)
    assert.match(trials.stdout, /#0 \(baseline\)\s+COMPLETE/)
    assert.equal(trials.stdout.trim().split('\n').length, 6)
    const status = winnow(['status', 'cli-e2e'], dir)
    assert.match(status.stdout, /5 trials — 5 complete/)
    const best = JSON.parse(winnow(['best', 'cli-e2e', '--json'], dir).stdout)
    assert.equal(best.length, 1)
    const csv = winnow(['export', 'cli-e2e', '-f', 'csv'], dir).stdout.trim().split('\n')
    assert.equal(csv.length, 6)
    assert.match(
      csv[0],
      /^number,state,baseline,.*,steps,reason,value_eval_loss,metric_tokens,param_lr,step_1,step_2,step_3$/,
    )
    const json = JSON.parse(winnow(['export', 'cli-e2e', '-f', 'json'], dir).stdout)
    assert.equal(json.trials[0].intermediate.length, 3)
    // An output path the file system refuses is the user's to fix: one line, exit 2.
    const intoFile = winnow(['export', 'cli-e2e', '-o', 'study.yaml/x.csv'], dir)
    assert.equal(intoFile.code, 2, intoFile.stderr)
    assert.match(intoFile.stderr, /^error: Cannot write --output study\.yaml\/x\.csv: a part of the path is a file/)
    const report = winnow(['report', 'cli-e2e', '-o', 'study.yaml'], dir)
    assert.equal(report.code, 2, report.stderr)
    assert.match(report.stderr, /^error: Cannot write --out study\.yaml: a file of that name is in the way/)
    assert.equal(winnow(['delete', 'cli-e2e'], dir).code, 2, 'delete asks for --yes')
    assert.equal(winnow(['delete', 'cli-e2e', '--yes'], dir).code, 0)
    assert.match(winnow(['studies'], dir).stdout, /No studies/)
  })

  test('winnow worker joins a study by name and storage and runs it to its budget', () => {
    const dir = tempDir()
    writeNodeStudy(dir, { name: 'shared', trials: 4, concurrency: 1, steps: 2, sleepMs: 5 })
    assert.equal(winnow(['tune', 'study.yaml', '-q', '--trials', '2'], dir).code, 0)
    const url = `sqlite:${join(dir, 'winnow.db')}`
    const other = tempDir()
    const w = winnow(['worker', '--study', 'shared', '--storage', url, '-q'], other)
    assert.equal(w.code, 0, w.stderr)
    assert.match(w.stdout, /Study "shared": 4 trials — 4 complete/)
    // The budget met, a worker goes on with --trials (as tune does), instead of being told to use a flag it lacks.
    const more = winnow(['worker', '--study', 'shared', '--storage', url, '-q', '--trials', '5'], other)
    assert.equal(more.code, 0, more.stderr)
    assert.match(more.stdout, /Study "shared": 5 trials — 5 complete/)
    const missing = winnow(['worker', '--study', 'nope', '--storage', url], other)
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /Study "nope" does not exist/)
  })

  test('kill -9 of winnow tune mid-study, then tune again: nothing lost or duplicated, interrupted trials resume', async () => {
    const dir = tempDir()
    writeNodeStudy(dir, { name: 'crash', trials: 6, concurrency: 2, steps: 12, sleepMs: 150 })
    const tuner = winnowAsync(['tune', 'study.yaml', '-q'], dir)
    // Wait until two trials have completed and others are running, then kill the tuner without warning.
    await tuner.until((out) => (out.match(/COMPLETE/g)?.length ?? 0) >= 2)
    await new Promise((r) => setTimeout(r, 700))
    tuner.child.kill('SIGKILL')
    await tuner.exited()

    const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
    const study = (await storage.findStudy('crash'))!
    const before = (await storage.listTrials(study.id)).trials
    await storage.close()
    const completedBefore = before.filter((t) => t.state === 'COMPLETE')
    const interrupted = before.filter((t) => t.state === 'RUNNING')
    assert.ok(completedBefore.length >= 2, `completed before the kill: ${completedBefore.length}`)
    assert.ok(interrupted.length >= 1, 'some trials were running when the tuner died')
    // status only reads, but says that those running trials have lost their worker and how they go on.
    const status = winnow(['status', 'crash'], dir)
    assert.match(status.stdout, /Running trials? #\d+.* no live worker .*re-queues/)

    // Give the orphaned trial processes time to notice and exit (their client answers 'pause' when unreachable).
    await new Promise((r) => setTimeout(r, 3000))
    const again = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(again.code, 0, again.stderr)

    const s2 = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
    const after = (await s2.listTrials((await s2.findStudy('crash'))!.id)).trials
    await s2.close()
    assert.deepEqual(
      after.map((t) => t.number),
      [0, 1, 2, 3, 4, 5],
      'numbers dense, none duplicated',
    )
    assert.ok(
      after.every((t) => t.state === 'COMPLETE'),
      after.map((t) => t.state).join(','),
    )
    for (const t of completedBefore) {
      const now = after.find((a) => a.id === t.id)!
      assert.deepEqual(now.values, t.values, 'completed results unchanged')
      assert.equal(now.finishedAt, t.finishedAt)
    }
    for (const t of interrupted) {
      const now = after.find((a) => a.id === t.id)!
      assert.deepEqual(now.params, t.params, 'same parameters')
      const state = JSON.parse(readFileSync(now.systemAttrs.checkpoint as string, 'utf8')) as { history: number[] }
      assert.deepEqual(
        state.history,
        Array.from({ length: 12 }, (_, i) => i + 1),
        'resumed: steps 1..12 each once',
      )
    }
  })

  test('a promotion-mode run that ends with paused trials says how to go on, and --trials continues them', () => {
    const dir = tempDir()
    const scheduler =
      'scheduler: {type: asha, mode: promotion, resource: {kind: steps, min: 2, max: 18}, reduction_factor: 3}\n'
    writeNodeStudy(dir, { name: 'paused', trials: 5, concurrency: 1, steps: 18, sleepMs: 1, extra: scheduler })
    // Without the steps argument the fixture trains to WINNOW_TARGET, the rung it is sent to.
    writeFileSync(join(dir, 'study.yaml'), readFileSync(join(dir, 'study.yaml'), 'utf8').replace(', "18", "1"]', ']'))
    const r = winnow(['tune', 'study.yaml', '-q'], dir)
    assert.equal(r.code, 0, r.stderr)
    const paused = Number(/(\d+) trials? (is|are) paused at a rung/.exec(r.stdout)?.[1])
    assert.ok(paused > 0, r.stdout)
    assert.match(r.stdout, /raise the trial budget \(budget\.trials, or --trials N with N > 5\)/)
    const complete = (out: string) => Number(/\d+ trials — (\d+) complete/.exec(out)?.[1])
    const more = winnow(['tune', 'study.yaml', '-q', '--trials', '12'], dir)
    assert.equal(more.code, 0, more.stderr)
    assert.match(more.stdout, /Study "paused": 12 trials/)
    assert.ok(complete(more.stdout) > complete(r.stdout), 'more trials at the first rung promote more to the end')
  })
})
