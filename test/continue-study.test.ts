// Continuing a study from a changed study file: ranges may change, but the objectives and the kind of a parameter
// the stored trials used may not — such a file is refused with exit 2, located, naming the stored value, and the
// stored study is left exactly as it was.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '../src/storage/open-storage.ts'
import { tempDir, winnow, writeNodeStudy } from './cli-helpers.ts'

test('a continued study refuses a changed objective or parameter type and keeps what is stored', async () => {
  const dir = tempDir('winnow-continue-')
  const file = writeNodeStudy(dir, { name: 'cont', trials: 2, concurrency: 1, steps: 2, sleepMs: 1 })
  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const original = readFileSync(file, 'utf8')
  const before = readFileSync(join(dir, 'winnow.db'))

  writeFileSync(file, original.replace('direction: minimize', 'direction: maximize'))
  const flipped = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
  assert.equal(flipped.code, 2, flipped.stderr)
  assert.match(
    flipped.stderr,
    /study\.yaml:2:\d+ metric: is "maximize eval_loss", but study "cont" .* minimize eval_loss/,
  )
  assert.match(flipped.stderr, /name: cont-2/)

  writeFileSync(file, original.replace('eval_loss', 'accuracy'))
  const renamed = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
  assert.equal(renamed.code, 2, renamed.stderr)
  assert.match(renamed.stderr, /was created to minimize eval_loss/)

  writeFileSync(
    file,
    original
      .replace('lr: {type: float, low: 0.01, high: 0.3}', 'lr: {type: categorical, choices: [0.01, 0.1]}')
      .replace('baseline: {lr: 0.2}', ''),
  )
  const retyped = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
  assert.equal(retyped.code, 2, retyped.stderr)
  assert.match(
    retyped.stderr,
    /study\.yaml:6:\d+ space\.lr\.type: is categorical, but .* sampled lr as float\[0\.01, 0\.3\]/,
  )
  // Constraints are stored per trial by position: adding (or changing) them is refused too.
  writeFileSync(file, `${original}constraints: [{metric: eval_loss, max: 5}]\n`)
  const constrained = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
  assert.equal(constrained.code, 2, constrained.stderr)
  assert.match(
    constrained.stderr,
    /study\.yaml:\d+:\d+ constraints: are \[\{"metric":"eval_loss","max":5\}\], but study "cont" .* was created with none/,
  )
  assert.deepEqual(readFileSync(join(dir, 'winnow.db')), before, 'the refused runs wrote nothing')

  // Narrowing the range and fixing the parameter to one value are fine.
  writeFileSync(file, original.replace('low: 0.01, high: 0.3', 'low: 0.1, high: 0.25'))
  const narrowed = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
  assert.equal(narrowed.code, 0, narrowed.stderr)
  writeFileSync(
    file,
    original.replace('lr: {type: float, low: 0.01, high: 0.3}', 'lr: {type: categorical, choices: [0.2]}'),
  )
  const fixed = winnow(['tune', 'study.yaml', '-q', '--trials', '4'], dir)
  assert.equal(fixed.code, 0, fixed.stderr)
  // …and un-pinning it back to its type continues too (the pinned trial sampled nothing).
  writeFileSync(file, original)
  const unpinned = winnow(['tune', 'study.yaml', '-q', '--trials', '5'], dir)
  assert.equal(unpinned.code, 0, unpinned.stderr)
  const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    const study = (await storage.findStudy('cont'))!
    assert.deepEqual(study.directions, ['minimize'])
    assert.equal((await storage.listTrials(study.id)).trials.filter((t) => t.state === 'COMPLETE').length, 5)
  } finally {
    await storage.close()
  }
})
