// `winnow focus` end to end: a follow-up study, and `--continue` narrowing the same study's file in place.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { Study } from '../src/core/study/study.ts'
import { openStorage } from '../src/storage/open-storage.ts'
import { tempDir, winnow, writeNodeStudy } from './cli-helpers.ts'

// Only `lr` changes the fixture's loss ((lr − 0.1)² + 1/steps); `a` and `b` are dead weight.
const LR = '  lr: {type: float, low: 0.01, high: 0.3}\n'

function studyWithDeadParams(dir: string): string {
  const file = writeNodeStudy(dir, { name: 'f', trials: 16, concurrency: 2, steps: 2, sleepMs: 1 })
  const text = readFileSync(file, 'utf8')
    .replace(
      `space:\n${LR}`,
      `space:\n${LR}  a: {type: float, low: 0, high: 1}\n  b: {type: categorical, choices: [x, y, z]}\n`,
    )
    .replace('baseline: {lr: 0.2}', 'baseline: {lr: 0.2, a: 0.5, b: x}')
  writeFileSync(file, text)
  return file
}

test('focus writes a linked follow-up study; --continue narrows the same study file and tune continues in it', async () => {
  const dir = tempDir('winnow-focus-')
  const file = studyWithDeadParams(dir)
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const original = readFileSync(file, 'utf8')

  // A comment added on disk after the run: the follow-up comes from the file the study ran with, and says so.
  writeFileSync(file, `${original}# edited after the run\n`)
  const follow = winnow(['focus', 'f', '--keep', '1'], dir)
  assert.equal(follow.code, 0, follow.stderr)
  assert.match(
    follow.stderr,
    /study\.yaml changed since the study last ran; the follow-up is written from the version it ran with/,
  )
  writeFileSync(file, original)
  assert.match(follow.stdout, /Focused study "f-focused" from "f"/)
  assert.match(follow.stdout, /kept +importance[\s\S]*\n *lr +/, 'the one parameter that matters is kept')
  const followFile = parse(readFileSync(join(dir, 'f-focused.yaml'), 'utf8'))
  assert.equal(followFile.name, 'f-focused')
  assert.ok(followFile.space.lr.high - followFile.space.lr.low < 0.29, 'lr narrowed')
  assert.match(winnow(['status', 'f'], dir).stdout, /follow-up "f-focused"/)

  // Deleting the follow-up removes the link from "f"; focusing again links it once.
  assert.equal(winnow(['delete', 'f-focused', '--yes'], dir).code, 0)
  assert.doesNotMatch(winnow(['status', 'f'], dir).stdout, /follow-up/)
  assert.equal(winnow(['focus', 'f', '--keep', '1', '--force'], dir).code, 0)
  assert.match(winnow(['status', 'f'], dir).stdout, /follow-up "f-focused"(?!,)/)

  const both = winnow(['focus', 'f', '--keep', '1', '--continue', '--name', 'g'], dir)
  assert.equal(both.code, 2)
  assert.match(both.stderr, /--continue narrows the same study, so it takes no --name/)

  const r = winnow(['focus', 'f', '--keep', '1', '--continue'], dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Narrowed study\.yaml in place; the previous version is study\.before-focus-1\.yaml/)
  assert.equal(readFileSync(join(dir, 'study.before-focus-1.yaml'), 'utf8'), original, 'old file kept verbatim')
  const narrowed = parse(readFileSync(file, 'utf8'))
  assert.equal(narrowed.name, 'f', 'same study')
  const { low, high } = narrowed.space.lr
  assert.ok(low >= 0.01 && high <= 0.3 && high - low < 0.29, `lr narrowed: [${low}, ${high}]`)
  assert.equal(narrowed.space.a.low, narrowed.space.a.high, 'a fixed')
  assert.equal(narrowed.space.b.choices.length, 1, 'b fixed')
  assert.match(
    readFileSync(file, 'utf8'),
    /^baseline: \{.*\} # trial #\d+, so the file loads in the narrowed space; gains stay measured against baseline trial #0$/m,
  )

  const more = winnow(['tune', 'study.yaml', '-q', '--trials', '20'], dir)
  assert.equal(more.code, 0, more.stderr)
  // Trials before and after the narrowing recorded two ranges of lr; importance still ranks it (first).
  const imp = winnow(['importance', 'f'], dir)
  assert.equal(imp.code, 0, imp.stderr)
  assert.match(imp.stdout, /^1 +lr /m)
  const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    const info = (await storage.findStudy('f'))!
    const { trials } = await storage.listTrials(info.id)
    assert.equal(trials.length, 20)
    for (const t of trials.slice(16)) {
      assert.equal(t.state, 'COMPLETE')
      const lr = t.params.lr as number
      assert.ok(lr >= low && lr <= high, `#${t.number} lr ${lr} in [${low}, ${high}]`)
      assert.equal(t.params.a, narrowed.space.a.low)
      assert.equal(t.params.b, narrowed.space.b.choices[0])
    }
    // The stored record follows the file; the first version is kept with the trial it was replaced at.
    assert.equal(info.systemAttrs.studyFileText, readFileSync(file, 'utf8'))
    const earlier = info.systemAttrs.earlierStudyFiles as { text: string; untilTrial: number }[]
    assert.deepEqual(
      earlier.map((e) => [e.text, e.untilTrial]),
      [[original, 16]],
    )
    const focused = info.systemAttrs.focusedInPlace as { afterTrials: number; keep: number }[]
    assert.deepEqual(
      focused.map((f) => [f.afterTrials, f.keep]),
      [[16, 1]],
    )

    const status = winnow(['status', 'f'], dir)
    assert.match(status.stdout, /Focus: follow-up "f-focused"; narrowed in place after 16 trials \(kept lr\)/)
    assert.match(winnow(['status', 'f-focused'], dir).stdout, /Focus: focused from "f"/)

    // The report tells the same story, with the study file the first 16 trials ran under.
    assert.equal(winnow(['report', 'f'], dir).code, 0)
    const md = readFileSync(join(dir, 'f-report.md'), 'utf8')
    assert.match(md, /### History\n\n- follow-up "f-focused"\n- narrowed in place after 16 trials \(kept lr\)/)
    assert.match(md, /<summary>Study file of trials #0–#15 \(SHA-256 [0-9a-f]{12}…\)<\/summary>/)

    // A second focus keeps the first backup and writes the next one.
    assert.equal(winnow(['focus', 'f', '--keep', '1', '--continue'], dir).code, 0)
    assert.ok(existsSync(join(dir, 'study.before-focus-2.yaml')))
    assert.equal(readFileSync(join(dir, 'study.before-focus-1.yaml'), 'utf8'), original)

    // A study made in code has no study file to narrow: a clear error, nothing written.
    const lib = await Study.create({ storage, name: 'lib' })
    for (let i = 0; i < 6; i++) {
      const t = await lib.ask()
      await lib.tell(t, t.suggestFloat('x', 0, 1) ** 2)
    }
    const noFile = winnow(['focus', 'lib', '--continue'], dir)
    assert.equal(noFile.code, 2)
    assert.match(noFile.stderr, /Study "lib" was not run from a study file/)
  } finally {
    await storage.close()
  }
})

test('focus --continue refuses while a worker is running trials of the study, unless --force', async () => {
  const dir = tempDir('winnow-focus-live-')
  const file = studyWithDeadParams(dir)
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const original = readFileSync(file, 'utf8')
  const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    // What a live `winnow tune` leaves in storage while its trial trains: a RUNNING trial started just now.
    const info = (await storage.findStudy('f'))!
    const running = await storage.createTrial(info.id)
    const r = winnow(['focus', 'f', '--keep', '1', '--continue'], dir)
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`Study "f" has 1 running trial \\(#${running.number}\\)`))
    assert.match(r.stderr, /pass --force to narrow the file anyway/)
    assert.equal(readFileSync(file, 'utf8'), original, 'nothing written')
    assert.ok(!existsSync(join(dir, 'study.before-focus-1.yaml')))

    const forced = winnow(['focus', 'f', '--keep', '1', '--continue', '--force'], dir)
    assert.equal(forced.code, 0, forced.stderr)
    assert.notEqual(readFileSync(file, 'utf8'), original)
  } finally {
    await storage.close()
  }
})

test('importance and focus on too few trials: a warning, or exit 2 saying how many are needed', () => {
  const dir = tempDir('winnow-focus-few-')
  writeNodeStudy(dir, { name: 'few', trials: 3, concurrency: 1, steps: 2, sleepMs: 1 })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const imp = winnow(['importance', 'few'], dir)
  assert.equal(imp.code, 0, imp.stderr)
  assert.match(imp.stderr, /Warning: 3 completed trials are few for an importance ranking/)
  const focus = winnow(['focus', 'few'], dir)
  assert.equal(focus.code, 2, focus.stderr)
  assert.match(focus.stderr, /has 3 completed trials; focus needs at least 10/)
  assert.equal(winnow(['focus', 'few', '--continue'], dir).code, 2)
  writeNodeStudy(dir, { name: 'one', trials: 1, concurrency: 1, steps: 2, sleepMs: 1 })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const one = winnow(['importance', 'one'], dir)
  assert.equal(one.code, 2, one.stderr)
  assert.match(one.stderr, /fANOVA importance needs at least 2 COMPLETE trials .* but found 1\. Run more trials first/)
})
