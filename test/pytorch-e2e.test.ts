// End to end with a real PyTorch training script: `winnow tune` on a copy of examples/pytorch/study.yaml (shortened
// to 30 steps, one rung at 10, η = 3, 7 trials so it runs in about a minute on two CPU cores), then checks from storage that the
// scheduler paused trials, that a promoted trial resumed from its checkpoint (its reports continue past the rung,
// and the resumed run matches a straight run of the same configuration), and that the best trial beats the baseline.
// Needs `/usr/bin/python3` with torch (Debian's python3-torch); without it the test is skipped with a loud reason.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse, stringify } from 'yaml'
import type { FrozenTrial } from '../src/core/trial/frozen-trial.ts'
import { openStorage } from '../src/storage/open-storage.ts'

const root = join(import.meta.dirname, '..')
const example = join(root, 'examples', 'pytorch')
const PYTHON = '/usr/bin/python3'
const MAX_STEPS = 30

const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' })
const skip =
  probe.status === 0
    ? false
    : `PyTorch is not importable by ${PYTHON} (${(probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)) || `exit ${probe.status}`}); install python3-torch to run the PyTorch end-to-end test`
if (skip) console.error(`\n*** SKIPPED test/pytorch-e2e.test.ts: ${skip} ***\n`)

/** The example study, shortened for a test: absolute paths, 30 steps, one rung at 10 (η = 3), 7 trials. */
function studyCopy(dir: string): string {
  const s = parse(readFileSync(join(example, 'study.yaml'), 'utf8'))
  s.command = [PYTHON, join(example, 'train.py'), '--max-steps', String(MAX_STEPS), '--eval-every', '10']
  s.cwd = example
  s.scheduler.resource = { kind: 'steps', min: 10, max: MAX_STEPS }
  s.scheduler.reduction_factor = 3
  s.budget = { trials: 7 }
  delete s.storage
  const file = join(dir, 'study.yaml')
  writeFileSync(file, stringify(s))
  return file
}

/** eval_loss by step of a straight (never paused) run of train.py with the given parameters, outside Winnow. */
function straightRun(params: Record<string, unknown>, cwd: string): Map<number, number> {
  const r = spawnSync(PYTHON, [join(example, 'train.py'), '--max-steps', String(MAX_STEPS), '--eval-every', '10'], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', WINNOW_PARAMS: JSON.stringify(params) },
  })
  assert.equal(r.status, 0, `straight run failed:\n${r.stderr}`)
  return new Map([...r.stdout.matchAll(/^step (\d+) .*eval_loss ([0-9.]+)/gm)].map((m) => [Number(m[1]), Number(m[2])]))
}

test('winnow tune runs the PyTorch example: pauses, resumes from checkpoints, beats the baseline', {
  skip,
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-pytorch-e2e-'))
  try {
    const file = studyCopy(dir)
    const db = join(dir, 's.db')
    const t0 = Date.now()
    const run = spawnSync(
      process.execPath,
      [join(root, 'bin', 'winnow.js'), 'tune', file, '--storage', `sqlite:${db}`, '-q'],
      {
        encoding: 'utf8',
        timeout: 280_000,
      },
    )
    const seconds = (Date.now() - t0) / 1000
    assert.equal(run.status, 0, `winnow tune failed:\n${run.stderr}\n${run.stdout}`)

    const storage = await openStorage(`sqlite:${db}`)
    let trials: readonly FrozenTrial[]
    try {
      const info = await storage.findStudy('pytorch-reversal')
      assert.ok(info, 'the study was not created')
      trials = (await storage.listTrials(info.id)).trials
    } finally {
      await storage.close()
    }
    const steps = (t: FrozenTrial) => t.intermediate.map((iv) => iv.step)
    const table = trials
      .map((t) => `#${t.number} ${t.state} steps ${steps(t)} values ${t.values} attempts ${t.systemAttrs.attempts}`)
      .join('\n')
    const count = (state: string) => trials.filter((t) => t.state === state).length
    assert.equal(trials.length, 7)
    assert.equal(
      count('FAIL'),
      0,
      `failed trials: ${JSON.stringify(trials.filter((t) => t.state === 'FAIL').map((t) => t.systemAttrs.failReason))}`,
    )

    // The scheduler acted: trials were stopped (paused or pruned) below full fidelity.
    const stopped = trials.filter((t) => t.state === 'PAUSED' || t.state === 'PRUNED')
    assert.ok(stopped.length >= 2, `expected trials paused or pruned by ASHA, got states ${trials.map((t) => t.state)}`)
    for (const t of stopped) assert.ok(Math.max(...steps(t)) < MAX_STEPS)

    // Resumed: several attempts, reports continue past the rung without starting again, the script restored the step.
    const resumed = trials.filter((t) => Number(t.systemAttrs.attempts) >= 2)
    assert.ok(resumed.length >= 1, `no trial was resumed:\n${table}`)
    for (const t of resumed) {
      const s = steps(t)
      assert.deepEqual(
        s,
        Array.from({ length: s.length }, (_, i) => 10 * (i + 1)),
        `trial #${t.number} steps ${s}`,
      )
      assert.ok(s.length >= 2)
      const last = t.systemAttrs.lastMetrics as Record<string, number>
      assert.ok(
        last.resumed_from >= 10,
        `trial #${t.number} did not start from its checkpoint: ${JSON.stringify(last)}`,
      )
    }
    // A paused-and-resumed run equals a straight run: model, optimizer, schedule and RNG states were all restored.
    const probeTrial = resumed[0]
    const straight = straightRun(probeTrial.params, dir)
    for (const iv of probeTrial.intermediate) {
      const want = straight.get(iv.step)
      assert.ok(
        want !== undefined && Math.abs(iv.value - want) < 1e-3,
        `trial #${probeTrial.number} step ${iv.step}: resumed ${iv.value}, straight ${want}`,
      )
    }

    // The best trial beats the baseline.
    const baseline = trials.find((t) => t.systemAttrs.baseline === true)
    assert.ok(baseline?.state === 'COMPLETE' && baseline.values !== null, 'the baseline did not complete')
    const others = trials.filter((t) => t !== baseline && t.state === 'COMPLETE' && t.values !== null)
    assert.ok(others.length >= 1, `no tuned trial reached full fidelity:\n${table}`)
    const best = others.reduce((a, b) => (a.values![0] <= b.values![0] ? a : b))
    assert.ok(
      best.values![0] < baseline.values[0],
      `best #${best.number} ${best.values} vs baseline ${baseline.values}`,
    )

    console.log(
      `pytorch e2e: ${trials.length} trials in ${seconds.toFixed(1)} s; paused ${count('PAUSED')}, pruned ${count('PRUNED')}, complete ${count('COMPLETE')}; resumed ${resumed.map((t) => `#${t.number} (${t.systemAttrs.attempts} attempts, steps ${steps(t)})`).join(', ')}; baseline ${baseline.values[0].toFixed(4)}, best #${best.number} ${best.values![0].toFixed(4)}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
