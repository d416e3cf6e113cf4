import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { describe, test } from 'node:test'
import type { SearchSpace } from '../core/distributions/distribution.ts'
import { RandomSampler } from '../core/samplers/random-sampler.ts'
import type { Sampler } from '../core/samplers/sampler.ts'
import type { Scheduler } from '../core/schedulers/scheduler.ts'
import { Study } from '../core/study/study.ts'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import type { RunnerEvent } from './events.ts'
import { GpuPool } from './gpus.ts'
import { FIXTURES, isLive, liveGroupMembers, makeStudy, nodeArgv, PYTHON, testRunner } from './testing/harness.ts'

/** Prunes every trial once it reports step >= `at`. */
const pruneAt = (at: number): Scheduler => ({
  name: 'prune-at',
  decide: (_ctx, t) =>
    t.intermediate.length > 0 && t.intermediate[t.intermediate.length - 1].step >= at
      ? { action: 'prune', reason: `step ${at} reached` }
      : { action: 'continue' },
})

const finished = (events: RunnerEvent[]) =>
  events.filter((e): e is Extract<RunnerEvent, { type: 'trial-finished' }> => e.type === 'trial-finished')

describe('runner with real trial processes', () => {
  test('a Python trial using the client reports intermediate values and completes', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '4'],
      budget: { trials: 2 },
      concurrency: 2,
    })
    const summary = await runner.run()
    assert.equal(summary.completed, 2)
    assert.equal(summary.stoppedBy, 'trials')
    for (const t of await study.trials()) {
      assert.equal(t.state, 'COMPLETE')
      assert.deepEqual(
        t.intermediate.map((iv) => iv.step),
        [1, 2, 3, 4],
      )
      const lr = t.params.lr as number
      assert.ok(Math.abs(t.intermediate[1].value - ((lr - 0.1) ** 2 + 0.5)) < 1e-9)
      assert.ok(Math.abs((t.values?.[0] ?? 0) - ((lr - 0.1) ** 2 + 0.25)) < 1e-9)
      assert.equal(t.systemAttrs.tokens, 400)
      assert.ok((t.systemAttrs.wallSeconds as number) > 0)
      assert.equal(t.systemAttrs.gpuSeconds, 0)
      assert.match(t.systemAttrs.checkpoint as string, /trial-000\d\/state\.json$/)
      // The trial's log path is recorded (absolute) so the dashboard can tail it while the trial runs.
      const logFile = t.systemAttrs.logFile as string
      assert.ok(isAbsolute(logFile) && logFile.endsWith(`trial-000${t.number}.log`), logFile)
      assert.ok(existsSync(logFile))
    }
  })

  test('a Node trial using the JS client reports and completes', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, { command: () => nodeArgv('node-trial.ts', '3', '5') })
    const summary = await runner.run()
    assert.equal(summary.completed, 1)
    const [t] = await study.trials()
    assert.deepEqual(
      t.intermediate.map((iv) => iv.step),
      [1, 2, 3],
    )
    assert.deepEqual((t.systemAttrs.lastMetrics as Record<string, unknown>).tokens, 300)
  })

  test('the declared space reaches the sampler before it samples (so a model can follow a narrowed space)', async () => {
    const seen: (SearchSpace | undefined)[] = []
    const random = new RandomSampler()
    const recording: Sampler = {
      name: 'recording',
      inferRelativeSpace: (ctx) => {
        seen.push(ctx.space)
        return {}
      },
      sampleRelative: () => ({}),
      sampleIndependent: (ctx, name, d) => random.sampleIndependent(ctx, name, d),
    }
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'declared',
      sampler: recording,
      seed: 1,
      metricNames: ['eval_loss'],
    })
    const space: SearchSpace = { lr: { kind: 'float', low: 0.01, high: 0.2, log: false } }
    const { runner } = testRunner(study, { command: () => nodeArgv('node-trial.ts', '1', '5'), space })
    assert.equal((await runner.run()).completed, 1)
    assert.deepEqual(seen, [space])
  })

  test('a trial reporting a misspelled metric is not judged by the scheduler: a warning names what it did report', async () => {
    const study = await makeStudy({ scheduler: pruneAt(2) })
    const lines = [
      ...Array.from(
        { length: 25 },
        (_, i) => `WINNOW {"type":"report","step":${i + 1},"metrics":{"val_loss":${3 - i / 10}}}`,
      ),
      'WINNOW {"type":"complete","metrics":{"val_loss":0.5}}',
    ]
    const { runner, events } = testRunner(study, {
      command: () => [process.execPath, '-e', `console.log(${JSON.stringify(lines.join('\n'))})`],
      metricsFrom: { protocol: 'stdout' },
    })
    await runner.run()
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []))
    assert.equal(warnings.filter((w) => /without eval_loss/.test(w)).length, 1, warnings.join('\n'))
    assert.match(
      warnings.find((w) => /without eval_loss/.test(w))!,
      /trial #0 sent 2\d reports without eval_loss, the study's metric \(it reported val_loss — did you mean val_loss\?\): the scheduler and early stopping cannot judge it/,
    )
    // It never reported the objective at all: it fails, and says what it reported instead.
    const [t] = await study.trials()
    assert.equal(t.state, 'FAIL')
    assert.match(
      String(t.systemAttrs.failReason),
      /without reporting eval_loss \(it reported val_loss — did you mean val_loss\?\)/,
    )
  })

  test('with several objectives, a missing one is named alone and what the trial did report includes complete', async () => {
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'mo',
      metricNames: ['eval_loss', 'latency_ms'],
      directions: ['minimize', 'minimize'],
      sampler: new RandomSampler(),
    })
    const lines = [
      'WINNOW {"type":"report","step":1,"metrics":{"eval_loss":0.9,"tokens":100}}',
      'WINNOW {"type":"complete","metrics":{"eval_loss":0.5,"latency":12}}',
    ]
    const { runner } = testRunner(study, {
      command: () => [process.execPath, '-e', `console.log(${JSON.stringify(lines.join('\n'))})`],
      metricsFrom: { protocol: 'stdout' },
    })
    await runner.run()
    const [t] = await study.trials()
    assert.equal(t.state, 'FAIL')
    assert.match(
      String(t.systemAttrs.failReason),
      /^the trial exited without reporting latency_ms \(it reported eval_loss, tokens, latency — did you mean latency\?\); report it /,
    )
  })

  test('wall_seconds / gpu_hours objectives a trial does not report are measured by Winnow, over all attempts', async () => {
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'cost',
      metricNames: ['eval_loss', 'wall_seconds', 'gpu_hours'],
      directions: ['minimize', 'minimize', 'minimize'],
      sampler: new RandomSampler(),
    })
    const script = 'setTimeout(() => console.log(\'WINNOW {"type":"complete","metrics":{"eval_loss":0.5}}\'), 300)'
    const { runner } = testRunner(study, {
      command: () => [process.execPath, '-e', script],
      metricsFrom: { protocol: 'stdout' },
    })
    await runner.run()
    const [t] = await study.trials()
    assert.equal(t.state, 'COMPLETE', String(t.systemAttrs.failReason))
    const [loss, wall, gpuHours] = t.values!
    assert.equal(loss, 0.5)
    assert.equal(wall, t.systemAttrs.wallSeconds, 'the wall time Winnow stored for the trial')
    assert.ok(wall >= 0.3, String(wall))
    assert.equal(gpuHours, (t.systemAttrs.gpuSeconds as number) / 3600)
  })

  test('budget.gpu_hours on CPU trials warns once at the start that it will never stop the study', async () => {
    const warningsOf = async (gpus: GpuPool | undefined) => {
      const study = await makeStudy()
      const { runner, events } = testRunner(study, {
        command: () => nodeArgv('node-trial.ts', '1', '1'),
        budget: { trials: 1, gpuHours: 1 },
        ...(gpus !== undefined ? { gpus } : {}),
      })
      await runner.run()
      return events.flatMap((e) => (e.type === 'warning' ? [e.message] : []))
    }
    const cpu = await warningsOf(undefined)
    assert.equal(cpu.filter((w) => /gpu_hours/.test(w)).length, 1, cpu.join('\n'))
    assert.match(
      cpu[0],
      /^budget\.gpu_hours counts GPU time but this run uses no GPU .*use budget\.wall_time or budget\.trials$/,
    )
    assert.deepEqual(await warningsOf(new GpuPool([{ index: 0 }], 1)), [])
  })

  test('a pruned trial receives the decision and exits by itself', async () => {
    const study = await makeStudy({ scheduler: pruneAt(2) })
    const { runner, events } = testRunner(study, {
      command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '50'],
      gracePeriodSeconds: 5,
    })
    const summary = await runner.run()
    assert.equal(summary.pruned, 1)
    const [t] = await study.trials()
    assert.equal(t.state, 'PRUNED')
    assert.equal(t.intermediate.length, 2)
    const exit = t.systemAttrs.exit as { code: number; killedBecause?: string; logTail: string }
    assert.equal(exit.code, 0)
    assert.equal(exit.killedBecause, undefined)
    assert.match(exit.logTail, /stopping: prune step 2 reached/)
    assert.ok(finished(events)[0].wallSeconds < 5)
  })

  test('a trial that ignores the decision (and SIGTERM) is killed with its process group after the grace period', async () => {
    const study = await makeStudy({ scheduler: pruneAt(1) })
    const { runner, dir } = testRunner(study, {
      command: () => [join(FIXTURES, 'stubborn.sh'), join(dir, 'pids')],
      metricsFrom: { protocol: 'stdout' },
      gracePeriodSeconds: 0.5,
    })
    const t0 = Date.now()
    await runner.run()
    const took = (Date.now() - t0) / 1000
    const [t] = await study.trials()
    assert.equal(t.state, 'PRUNED')
    const exit = t.systemAttrs.exit as { signal: string; killedBecause: string }
    assert.equal(exit.signal, 'SIGKILL')
    assert.match(exit.killedBecause, /did not exit within 0.5s of its prune decision/)
    // Decision, 0.5 s to obey, SIGTERM (ignored), 0.5 s, SIGKILL: far below the script's 300 s sleep.
    assert.ok(took < 4, `took ${took}s`)
    const [leader, grandchild] = readFileSync(join(dir, 'pids'), 'utf8').trim().split(' ').map(Number)
    assert.deepEqual(liveGroupMembers(leader), [])
    assert.equal(isLive(grandchild), false)
  })

  test('an unmodified script is tuned by stdout/stderr pattern parsing', async () => {
    const study = await makeStudy()
    const { runner } = testRunner(study, {
      command: (p) => [PYTHON, join(FIXTURES, 'pattern_trial.py'), String(p.lr)],
      metricsFrom: {
        protocol: 'none',
        stdoutPattern: 'val loss (?<eval_loss>[0-9.]+)',
        stepPattern: 'step (?<step>\\d+)',
      },
    })
    await runner.run()
    const [t] = await study.trials()
    assert.equal(t.state, 'COMPLETE')
    assert.deepEqual(
      t.intermediate.map((iv) => iv.step),
      [1, 2, 3, 4],
    )
    const lr = t.params.lr as number
    assert.ok(Math.abs((t.values?.[0] ?? 0) - ((lr - 0.1) ** 2 + 0.25)) < 1e-4)
  })

  test('WINNOW {json} stdout lines report, checkpoint and complete', async () => {
    const study = await makeStudy()
    const { runner, dir } = testRunner(study, {
      command: () => [join(FIXTURES, 'winnow-lines.sh')],
      metricsFrom: { protocol: 'stdout' },
    })
    await runner.run()
    const [t] = await study.trials()
    assert.equal(t.state, 'COMPLETE')
    assert.deepEqual(t.intermediate, [
      { step: 10, value: 2.5 },
      { step: 20, value: 1.5 },
    ])
    assert.deepEqual(t.values, [1.25])
    assert.equal(t.systemAttrs.checkpoint, join(dir, 'ckpt', 'trial-0000', 'ck'))
    assert.ok(existsSync(join(dir, 'logs', 'trial-0000.log')))
  })
})
