import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { computeCost } from '../core/analysis/cost.ts'
import type { Scheduler } from '../core/schedulers/scheduler.ts'
import type { RunnerEvent } from './events.ts'
import { oomKillCount } from './executor/oom.ts'
import { GpuPool } from './gpus.ts'
import { HostGpuLeases } from './host-gpu-leases.ts'
import { FIXTURES, holdGpusElsewhere, makeStudy, nodeArgv, PYTHON, testRunner, tmp } from './testing/harness.ts'

const finishedStates = (events: RunnerEvent[]) =>
  events.flatMap((e) => (e.type === 'trial-finished' ? [`${e.number}:${e.state}`] : []))

/** Pauses each trial at step 3 (first rung), promotes every paused trial to 6. */
const rungScheduler: Scheduler = {
  name: 'test-rungs',
  initialTarget: () => 3,
  decide: (_ctx, t) => {
    const last = t.intermediate[t.intermediate.length - 1]
    return last?.step === 3 && t.systemAttrs.rung === undefined ? { action: 'pause', rung: 0 } : { action: 'continue' }
  },
  promotions: (ctx) => ctx.history.filter((t) => t.state === 'PAUSED').map((t) => ({ trialId: t.id, target: 6 })),
}

describe('trial lifecycle', () => {
  test('pause → promote → resume continues the same process state from its checkpoint', async () => {
    const study = await makeStudy({ scheduler: rungScheduler })
    const { runner, events } = testRunner(study, { command: () => nodeArgv('node-trial.ts') })
    const s = await runner.run()
    assert.equal(s.paused, 1)
    assert.equal(s.completed, 1)
    assert.deepEqual(finishedStates(events), ['0:PAUSED', '0:COMPLETE'])
    const starts = events.filter((e) => e.type === 'trial-started')
    assert.deepEqual(
      starts.map((e) => [e.resumed, e.target]),
      [
        [false, 3],
        [true, 6],
      ],
    )
    const [t] = await study.trials()
    assert.equal(t.state, 'COMPLETE')
    assert.equal(t.systemAttrs.rung, 0)
    assert.equal(t.systemAttrs.attempts, 2)
    assert.deepEqual(
      t.intermediate.map((iv) => iv.step),
      [1, 2, 3, 4, 5, 6],
    )
    const state = JSON.parse(readFileSync(t.systemAttrs.checkpoint as string, 'utf8')) as { history: number[] }
    assert.deepEqual(state.history, [1, 2, 3, 4, 5, 6])
    // Steps trained: 0 → 3, then 3 → 6 from the checkpoint.
    assert.equal(t.systemAttrs.resourceUsed, 6)
  })

  test('a promoted trial without a checkpoint trains from scratch, and its steps are counted again', async () => {
    const study = await makeStudy({ scheduler: rungScheduler })
    const { runner, events } = testRunner(study, {
      command: (_p, i) => nodeArgv('node-trial.ts', String(i.target), '20', 'no-checkpoint'),
    })
    await runner.run()
    assert.deepEqual(finishedStates(events), ['0:PAUSED', '0:COMPLETE'])
    const [t] = await study.trials()
    assert.equal(t.systemAttrs.resourceUsed, 3 + 6)
    const cost = computeCost([t], { fullResource: 6 })
    assert.match(cost.message, /^Used 9 of 6 steps \(50% more than running every trial once to full fidelity\)/)
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []))
    assert.deepEqual(
      warnings.filter((w) => /without a checkpoint/.test(w)).map((w) => w.slice(0, 60)),
      ['trial #0 paused at step 3 without a checkpoint: when promote'],
    )
  })

  test('a run without a trial budget waits for GPUs another Winnow process holds, instead of stopping', async () => {
    const dir = tmp('leases-')
    const _other = await holdGpusElsewhere(dir, [{ key: '0', fraction: 1 }], 1000)
    const study = await makeStudy()
    const { runner, events } = testRunner(study, {
      command: () => [join(FIXTURES, 'winnow-lines.sh')],
      gpus: new GpuPool([{ index: 0 }], 1, new HostGpuLeases(dir)),
      budget: { wallTimeSeconds: 2.5 },
    })
    const s = await runner.run()
    assert.equal(s.stoppedBy, 'wall_time')
    assert.ok(s.completed >= 1, 'trials ran once the other process let go of the GPU')
    const warning = events.find((e) => e.type === 'warning' && /waiting for a GPU/.test(e.message))
    assert.ok(warning, 'it said what it waits for')
  })

  test('the trial budget is respected with concurrency', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [join(FIXTURES, 'winnow-lines.sh')],
      budget: { trials: 3 },
      concurrency: 2,
    })
    const s = await runner.run()
    assert.equal(s.stoppedBy, 'trials')
    assert.equal((await study.trials()).length, 3)
  })

  test('the wall-time budget ends running trials and re-queues them; nothing is left RUNNING', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '1000', '--sleep', '0.05'],
      budget: { trials: 5, wallTimeSeconds: 1 },
      concurrency: 2,
    })
    const t0 = Date.now()
    const s = await runner.run()
    assert.ok((Date.now() - t0) / 1000 < 4)
    assert.equal(s.stoppedBy, 'wall_time')
    assert.equal(s.requeued, 2)
    const trials = await study.trials()
    assert.deepEqual(
      trials.map((t) => t.state),
      ['WAITING', 'WAITING'],
    )
    assert.ok(trials.every((t) => t.intermediate.length > 0 && typeof t.systemAttrs.checkpoint === 'string'))
  })

  test('abort (Ctrl-C) ends the trial process group and re-queues it', async () => {
    const study = await makeStudy()
    const ac = new AbortController()
    const { runner } = testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '1000', '--sleep', '0.05'],
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'trial-reported' && e.step === 2) ac.abort()
      },
    })
    const s = await runner.run()
    assert.equal(s.stoppedBy, 'aborted')
    const [t] = await study.trials()
    assert.equal(t.state, 'WAITING')
    assert.equal(t.systemAttrs.interrupted, 'interrupted')
    const exit = t.systemAttrs.exit as { killedBecause: string; signal: string | null; code: number | null }
    assert.equal(exit.killedBecause, 'interrupted')
    assert.ok(exit.signal === 'SIGTERM' || exit.code === 143, JSON.stringify(exit))
    const s2 = await testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '4'],
    }).runner.run()
    assert.equal(s2.completed, 1, 'the next run resumes the re-queued trial')
    const [again] = await study.trials()
    assert.equal(again.state, 'COMPLETE')
    assert.equal(again.intermediate[again.intermediate.length - 1].step, 4)
  })

  test('a failure is retried with the same parameters; retries do not count against the trial budget', async () => {
    const study = await makeStudy()
    const marker = tmp()
    const { runner, events } = testRunner(study, { command: () => [join(FIXTURES, 'flaky.sh'), marker], retries: 1 })
    await runner.run()
    const [first, retry] = await study.trials()
    assert.equal(first.state, 'FAIL')
    assert.match(first.systemAttrs.failReason as string, /exit code 3/)
    assert.match((first.systemAttrs.exit as { logTail: string }).logTail, /transient error/)
    assert.equal(retry.state, 'COMPLETE')
    assert.equal(retry.systemAttrs.retryOf, 0)
    assert.equal(retry.systemAttrs.retryRoot, 0, 'a Hyperband bracket follows the chain')
    assert.deepEqual(retry.params, first.params)
    assert.deepEqual(finishedStates(events), ['0:FAIL', '1:COMPLETE'])
  })

  test('CUDA out of memory is recorded as an infeasible OOM failure and not retried', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, { command: () => [join(FIXTURES, 'oom.sh')], retries: 2 })
    await runner.run()
    const trials = await study.trials()
    assert.equal(trials.length, 1)
    assert.equal(trials[0].state, 'FAIL')
    assert.equal(trials[0].systemAttrs.failure, 'oom')
    assert.equal(trials[0].systemAttrs.infeasible, true)
  })

  test("a retry resumes from the failed attempt's last checkpoint", async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => nodeArgv('node-trial.ts', '5', '20', 'fail-once'),
      retries: 1,
    })
    await runner.run()
    const [failed, retry] = await study.trials()
    assert.equal(failed.state, 'FAIL')
    assert.equal(retry.state, 'COMPLETE')
    assert.equal(retry.systemAttrs.retryOf, failed.number)
    // It went on from step 3: its steps are 4 and 5, and the state it saved carries the failed attempt's history.
    assert.deepEqual(
      retry.intermediate.map((iv) => iv.step),
      [4, 5],
    )
    const state = JSON.parse(readFileSync(retry.systemAttrs.checkpoint as string, 'utf8')) as { history: number[] }
    assert.deepEqual(state.history, [1, 2, 3, 4, 5])
    // Steps trained: 3 by the failed trial, 2 by its retry.
    assert.equal(failed.systemAttrs.resourceUsed, 3)
    assert.equal(retry.systemAttrs.resourceUsed, 2)
  })

  test('a promoted trial that crashes is retried from its checkpoint up to its promotion target, not the first rung', async () => {
    const study = await makeStudy({ scheduler: rungScheduler })
    const { runner } = testRunner(study, {
      command: (_p, i) => nodeArgv('node-trial.ts', String(i.target), '20', 'fail-once-at-5'),
      retries: 1,
    })
    await runner.run()
    const [failed, retry] = await study.trials()
    assert.equal(failed.state, 'FAIL')
    assert.equal(retry.state, 'COMPLETE')
    assert.equal(retry.systemAttrs.target, 6)
    assert.deepEqual(
      retry.intermediate.map((iv) => iv.step),
      [6],
    )
  })

  test('a SIGKILL from outside Winnow that was not the OOM killer is a plain failure, retried', async (t) => {
    if (oomKillCount() === undefined) return t.skip('this system does not count OOM kills (/proc/vmstat)')
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"],
      retries: 1,
    })
    await runner.run()
    const trials = await study.trials()
    assert.equal(trials.length, 2, 'the failure was retried')
    for (const f of trials) {
      assert.equal(f.systemAttrs.failure, 'error')
      assert.equal(f.systemAttrs.infeasible, undefined, 'not taken for a property of the configuration')
      assert.match(String(f.systemAttrs.failReason), /signal SIGKILL/)
    }
  })

  test('a trial past its timeout is ended and recorded as a timeout', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '1000', '--sleep', '0.05'],
      trialTimeoutSeconds: 0.6,
    })
    const t0 = Date.now()
    await runner.run()
    assert.ok((Date.now() - t0) / 1000 < 3)
    const [t] = await study.trials()
    assert.equal(t.state, 'FAIL')
    assert.equal(t.systemAttrs.failure, 'timeout')
  })

  test('early stopping: NaN prunes at once; a plateau completes with the best value', async () => {
    const study = await makeStudy()
    const lines = (vals: string[]) =>
      vals
        .map((v, i) => `echo 'WINNOW {"type":"report","step":${i + 1},"metrics":{"eval_loss":"${v}"}}'; sleep 0.05`)
        .join(';')
    let n = 0
    const scripts = [
      lines(['2', 'NaN', '1', '1']) + '; sleep 5',
      lines(['2', '1.5', '1.6', '1.55', '1.7', '1.2']),
      lines(['2', '27', '1']) + '; sleep 5',
    ]
    const { runner } = testRunner(study, {
      command: () => ['bash', '-c', scripts[n++]],
      metricsFrom: { protocol: 'stdout' },
      earlyStopping: { patience: 3, minDelta: 0.01, divergence: { nan: true, above: 10 } },
      budget: { trials: 3 },
      concurrency: 1,
    })
    await runner.run()
    const [diverged, plateau, above] = await study.trials()
    assert.equal(diverged.state, 'PRUNED')
    assert.match(diverged.systemAttrs.pruneReason as string, /NaN at step 2/)
    assert.equal(above.state, 'PRUNED')
    assert.match(above.systemAttrs.pruneReason as string, /27 at step 2 is past the divergence limit 10/)
    assert.deepEqual(
      above.intermediate.map((iv) => [iv.step, iv.value]),
      [
        [1, 2],
        [2, 27],
      ],
      'the report that diverged is kept',
    )
    assert.equal(plateau.state, 'COMPLETE')
    assert.deepEqual(plateau.values, [1.5])
    assert.match(plateau.systemAttrs.stoppedEarly as string, /no improvement/)
  })

  test('GPU slots: CUDA_VISIBLE_DEVICES per trial, at most one trial per GPU, GPU-seconds accounted', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [
        'bash',
        '-c',
        `sleep 0.2; echo "WINNOW {\\"type\\":\\"complete\\",\\"metrics\\":{\\"eval_loss\\":$CUDA_VISIBLE_DEVICES}}"`,
      ],
      gpus: new GpuPool([{ index: 0 }, { index: 3 }], 1),
      concurrency: 4,
      budget: { trials: 4 },
    })
    const s = await runner.run()
    assert.equal(s.completed, 4)
    const trials = await study.trials()
    assert.deepEqual(new Set(trials.map((t) => t.values?.[0])), new Set([0, 3]))
    for (const t of trials) assert.ok((t.systemAttrs.gpuSeconds as number) >= 0.2)
  })
})
