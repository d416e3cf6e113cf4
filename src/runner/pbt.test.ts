import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { PbtScheduler } from '../core/schedulers/pbt-scheduler.ts'
import type { Exploit, Scheduler } from '../core/schedulers/scheduler.ts'
import { trialCheckpointDir } from './checkpoints.ts'
import { FIXTURES, makeStudy, PYTHON, testRunner } from './testing/harness.ts'

test('PBT: a bad trial is ended and replaced by a new trial resuming from a copy of the best one', async () => {
  // Perturbing by exactly ×1.05 keeps the child close to its donor, so it is not exploited again in turn.
  const pbt = new PbtScheduler({
    interval: 4,
    space: { lr: { kind: 'float', low: 0.01, high: 1, log: false } },
    perturbFactors: [1.05, 1.05],
    resampleProbability: 0,
    seed: 1,
  })
  const exploits: Exploit[] = []
  const spy: Scheduler = {
    name: 'pbt',
    // Only the bad trial may be replaced. Once it is gone, one of the three good ones is the bottom of the next
    // boundary's ranking, and whether it reaches that boundary in time to be ranked depends on process timing
    // (a loaded machine made the test flaky); what the runner does with an exploit is the same for any trial.
    decide: (ctx, t) => {
      const d = pbt.decide(ctx, t)
      if (d.action !== 'continue' || d.exploit === undefined) return d
      if (t.number !== 3) return { action: 'continue' }
      exploits.push(d.exploit)
      return d
    },
  }
  const study = await makeStudy({ scheduler: spy })
  // A population of four; lr 0.5 is far from the optimum 0.1 and slower, so it reaches each boundary last.
  for (const lr of [0.1, 0.11, 0.09, 0.5]) await study.enqueue({ lr })
  const { runner, events, dir } = testRunner(study, {
    suggest: (t) => {
      t.suggestFloat('lr', 0.01, 1)
    },
    // A new checkpoint file per step: with `keep: last` the donor's retention deletes the one copied for the
    // child one step later. The bad trial ignores its decision, so the runner has to end it.
    command: (p) => [
      PYTHON,
      join(FIXTURES, 'py_trial.py'),
      '--per-step',
      '--steps',
      '40',
      ...((p.lr as number) >= 0.3 ? ['--sleep', '0.12', '--ignore'] : ['--sleep', '0.03']),
    ],
    budget: { trials: 4 },
    concurrency: 5,
  })
  await runner.run()
  const trials = await study.trials()
  const bad = trials[3]
  assert.equal(bad.params.lr, 0.5)
  assert.equal(bad.state, 'PRUNED')
  assert.match(bad.systemAttrs.pruneReason as string, /^PBT: replaced by a copy of trial #0 at step \d+/)
  // Told to stop with the prune answer, then ended after the grace period like a pruned trial that ignores it.
  const told = events.find((e) => e.type === 'trial-reported' && e.number === 3 && e.decision.action === 'prune')
  assert.ok(told !== undefined && told.type === 'trial-reported')
  assert.match(told.decision.reason ?? '', /^PBT: replaced by a copy of trial #0/)
  const exit = bad.systemAttrs.exit as { killedBecause?: string }
  assert.match(exit.killedBecause ?? '', /did not exit within 1s of its prune decision/)

  const child = trials.find((t) => (t.systemAttrs.pbt as { parent?: number } | undefined)?.parent === 3)
  assert.ok(child !== undefined, 'a child trial was created')
  assert.equal(bad.systemAttrs.pbtReplacedBy, child.number)
  const lineage = child.systemAttrs.pbt as { parent: number; donor: number; step: number; checkpointStep: number }
  assert.equal(lineage.donor, 0)
  assert.equal(lineage.step % 4, 0)
  assert.ok(lineage.checkpointStep >= lineage.step, JSON.stringify(lineage))
  // Its parameters are the perturbed donor parameters the scheduler chose.
  const first = exploits.find((e) => e.fromTrial === trials[0].id)
  assert.ok(first !== undefined)
  assert.deepEqual(child.params, first.params)
  assert.equal(child.params.lr, 0.1 * 1.05)
  // It continued from the copied checkpoint's step, though the donor's retention deleted that checkpoint...
  const copied = `checkpoint-${lineage.checkpointStep}.json`
  assert.equal(existsSync(join(trialCheckpointDir(join(dir, 'ckpt'), 0), copied)), false)
  assert.equal(child.state, 'COMPLETE')
  assert.equal(child.intermediate[0].step, lineage.checkpointStep + 1)
  assert.ok(child.intermediate[0].step > 1)
  assert.equal(child.intermediate[child.intermediate.length - 1].step, 40)
  // ...in its own folder, where its own retention later replaced the copy; the rest of the population completed.
  const own = trialCheckpointDir(join(dir, 'ckpt'), child.number)
  assert.equal(child.systemAttrs.checkpoint, join(own, 'checkpoint-40.json'))
  assert.deepEqual(readdirSync(own), ['checkpoint-40.json'])
  assert.deepEqual(
    trials.slice(0, 3).map((t) => t.state),
    ['COMPLETE', 'COMPLETE', 'COMPLETE'],
  )
})
