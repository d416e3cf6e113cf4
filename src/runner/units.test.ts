import assert from 'node:assert/strict'
import { once } from 'node:events'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, test } from 'node:test'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { isInside, retainCheckpoints } from './checkpoints.ts'
import { EarlyStopTracker } from './early-stopping.ts'
import type { RunnerEvent } from './events.ts'
import { isOomLine, oomKillEvidence, oomReason } from './executor/oom.ts'
import { detectGpus, GpuPool } from './gpus.ts'
import { HostGpuLeases } from './host-gpu-leases.ts'
import { createProgress } from './progress.ts'
import { parseWinnowLine } from './protocol/messages.ts'
import { StdoutMetricParser } from './protocol/stdout-metrics.ts'
import { failureKey } from './record-outcome.ts'
import { ResultsElsewhere } from './results-elsewhere.ts'
import { holdGpusElsewhere, tmp } from './testing/harness.ts'

describe('gpus', () => {
  test('nvidia-smi output is parsed; a missing nvidia-smi means no GPUs', () => {
    assert.deepEqual(
      detectGpus(() => '0, 81559 MiB\n1, 81559 MiB\n'),
      [
        { index: 0, memoryMiB: 81559 },
        { index: 1, memoryMiB: 81559 },
      ],
    )
    // With UUIDs (what the query asks for): leases are keyed by them, the same card under any index.
    assert.deepEqual(
      detectGpus(() => '0, GPU-7f3a-11, 81559 MiB\n1, MIG-2c9e, 40192 MiB\n'),
      [
        { index: 0, uuid: 'GPU-7f3a-11', memoryMiB: 81559 },
        { index: 1, uuid: 'MIG-2c9e', memoryMiB: 40192 },
      ],
    )
    assert.deepEqual(
      detectGpus(() => {
        throw new Error('ENOENT')
      }),
      [],
    )
  })

  test('whole GPUs per trial, then release', () => {
    const pool = new GpuPool([{ index: 0 }, { index: 1 }, { index: 2 }, { index: 3 }], 2)
    assert.equal(pool.capacity, 2)
    const a = pool.tryAcquire()!
    const b = pool.tryAcquire()!
    assert.deepEqual(
      [a.indices, b.indices],
      [
        [0, 1],
        [2, 3],
      ],
    )
    assert.equal(pool.tryAcquire(), undefined)
    pool.release(a)
    assert.deepEqual(pool.tryAcquire()?.indices, [0, 1])
  })

  test('fractional: 0.5 puts two trials on one GPU before using the next', () => {
    const pool = new GpuPool([{ index: 0 }, { index: 1 }], 0.5)
    assert.equal(pool.capacity, 4)
    const got = [pool.tryAcquire()!, pool.tryAcquire()!, pool.tryAcquire()!, pool.tryAcquire()!]
    assert.deepEqual(
      got.map((l) => l.indices[0]),
      [0, 0, 1, 1],
    )
    assert.equal(got[0].gpus, 0.5)
    assert.equal(pool.tryAcquire(), undefined)
  })

  test('configured subset, CPU trials, and a clear error without enough GPUs', () => {
    const subset = GpuPool.fromOptions({ perTrial: 1, devices: [2, 5] }, () => [], new HostGpuLeases(tmp('leases-')))
    assert.deepEqual(subset.tryAcquire()?.indices, [2])
    assert.deepEqual(GpuPool.fromOptions(undefined).tryAcquire(), { indices: [], gpus: 0 })
    assert.throws(() => GpuPool.fromOptions({ perTrial: 1 }, () => []), /needs 1 GPU\(s\) but 0 are available/)
    assert.throws(() => new GpuPool([{ index: 0 }], 1.5), /gpus_per_trial/)
  })
})

describe('GPUs shared by several Winnow processes on one host', () => {
  test("a GPU another live process holds is not handed out; a dead process's lease counts for nothing", async () => {
    const dir = tmp('leases-')
    // Another Winnow process holds GPU 0 whole and half of GPU 1 for a second, then exits.
    const other = await holdGpusElsewhere(
      dir,
      [
        { key: '0', fraction: 1 },
        { key: '1', fraction: 0.5 },
      ],
      1500,
    )
    const devices = [{ index: 0 }, { index: 1 }, { index: 2 }]
    const whole = new GpuPool(devices, 1, new HostGpuLeases(dir))
    const a = whole.tryAcquire()
    assert.deepEqual(a?.indices, [2], 'GPUs 0 and 1 are (partly) taken elsewhere')
    assert.equal(whole.tryAcquire(), undefined)
    assert.deepEqual([...whole.waitingFor], [other.pid], 'it waits for the other process, not for its own trials')
    whole.release(a!)
    // Two trials per GPU: the free half of GPU 1, then GPU 2 twice; GPU 0 is held whole elsewhere.
    const halves = new GpuPool(devices, 0.5, new HostGpuLeases(dir))
    const taken = [halves.tryAcquire(), halves.tryAcquire(), halves.tryAcquire(), halves.tryAcquire()]
    assert.deepEqual(
      taken.map((l) => l?.indices[0]),
      [1, 2, 2, undefined],
    )
    await once(other, 'exit')
    assert.deepEqual(halves.tryAcquire()?.indices, [1], 'the exited process no longer holds half of GPU 1')
    assert.deepEqual(halves.tryAcquire()?.indices, [0], 'nor GPU 0')
    assert.equal(halves.waitingFor.size, 0)
  })

  test('without a usable lease folder a run keeps to its own bookkeeping', () => {
    const file = join(tmp('leases-'), 'a-file')
    writeFileSync(file, '')
    const pool = new GpuPool([{ index: 0 }], 1, new HostGpuLeases(join(file, 'leases')))
    const lease = pool.tryAcquire()
    assert.deepEqual(lease?.indices, [0])
    assert.equal(pool.tryAcquire(), undefined)
    pool.release(lease!)
    assert.deepEqual(pool.tryAcquire()?.indices, [0])
  })
})

describe('failures a retry may reproduce', () => {
  test('a failure is keyed by its last output line with digits and paths made alike; transient-looking ones have no key', () => {
    const a = failureKey(
      'error',
      'trial exited with exit code 1: OSError: /ckpt/trial-0007/step-30.pt: corrupt (pid 4411)',
    )
    const b = failureKey(
      'error',
      'trial exited with exit code 1: OSError: /ckpt/trial-0012/step-10.pt: corrupt (pid 87)',
    )
    assert.ok(a !== undefined && a === b, `${a} vs ${b}`)
    assert.notEqual(a, failureKey('error', 'trial exited with exit code 1: ModuleNotFoundError: No module named peft'))
    for (const [kind, reason] of [
      ['error', 'trial exited with signal SIGKILL'],
      ['error', 'trial exited with exit code 1: ============================================================'],
      ['error', 'trial exited with exit code 1:  45%|████▌     | 45/100 [00:10<00:12]'],
      ['timeout', 'trial timed out'],
      ['oom', 'out of memory'],
    ])
      assert.equal(failureKey(kind, reason), undefined, reason)
  })
})

describe('metric parsing', () => {
  test('stdout pattern with named groups; step from its own regex, else counted', () => {
    const p = new StdoutMetricParser(
      'val loss (?<eval_loss>[0-9.]+)(?: acc (?<accuracy>[0-9.]+))?',
      'step (?<step>\\d+)',
    )
    assert.equal(p.line('step 100 train loss 3.2'), undefined)
    assert.deepEqual(p.line('val loss 2.5 acc 0.4'), { step: 100, metrics: { eval_loss: 2.5, accuracy: 0.4 } })
    const counted = new StdoutMetricParser('loss=(?<eval_loss>nan|[0-9.]+)')
    assert.equal(counted.line('loss=1.5')?.step, 1)
    assert.ok(Number.isNaN(counted.line('loss=nan')?.metrics.eval_loss as number))
    assert.throws(() => new StdoutMetricParser('loss ([0-9.]+)'), /no named group/)
    assert.throws(() => new StdoutMetricParser('(?<x>[', undefined), /not a valid JavaScript regular expression/)
  })

  test('WINNOW lines: nested and flat payloads; other lines ignored; bad JSON reported', () => {
    assert.deepEqual(parseWinnowLine('WINNOW {"type":"report","step":3,"metrics":{"eval_loss":"NaN"}}')?.type, 'report')
    assert.deepEqual(parseWinnowLine('WINNOW {"step":3,"eval_loss":1.5}'), {
      type: 'report',
      step: 3,
      metrics: { eval_loss: 1.5 },
    })
    assert.equal(parseWinnowLine('epoch 1 WINNOW is great'), undefined)
    const errors: string[] = []
    assert.deepEqual(parseWinnowLine('WINNOW {oops}', (e) => errors.push(e))?.type, 'invalid')
    assert.equal(errors.length, 1)
    // Python's json.dumps writes a diverged loss as a bare NaN: read, not dropped; NaN inside a string stays text.
    assert.deepEqual(parseWinnowLine('WINNOW {"type": "complete", "metrics": {"loss": NaN, "note": "NaN?"}}'), {
      type: 'complete',
      metrics: { loss: Number.NaN, note: 'NaN?' },
    })
    assert.deepEqual(parseWinnowLine('WINNOW {"step": 2, "loss": -Infinity}'), {
      type: 'report',
      step: 2,
      metrics: { loss: Number.NEGATIVE_INFINITY },
    })
    // A broken complete says what it meant, so the trial fails instead of falling back to its last report.
    assert.deepEqual(
      parseWinnowLine('WINNOW {"type": "complete", "metrics": {"loss": {"a": 1}}}', () => {}),
      {
        type: 'invalid',
        intended: 'complete',
        error:
          'The metric "loss" of a complete message must be a number (or "NaN" / "Infinity"), a string, a boolean or null, got {"a":1}.',
      },
    )
    assert.equal(parseWinnowLine('WINNOW {"type": "complete", "metrics": {"loss": 1', () => {})?.type, 'invalid')
    // A report with one nested value keeps its other metrics (pruning still sees the loss).
    assert.deepEqual(parseWinnowLine('WINNOW {"step": 4, "loss": 0.5, "lr": [0.0001]}'), {
      type: 'report',
      step: 4,
      metrics: { loss: 0.5 },
    })
    assert.equal(parseWinnowLine('WINNOW [1, 2]', (e) => errors.push(e))?.type, 'invalid')
    assert.equal(errors.length, 2, 'WINNOW [..] is reported too')
  })

  test('OOM recognition', () => {
    assert.ok(isOomLine('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB'))
    assert.ok(isOomLine("terminate called after throwing an instance of 'std::bad_alloc'"))
    assert.ok(isOomLine('MemoryError'))
    assert.equal(isOomLine('memory usage 3 GB'), false)
    // A SIGKILL Winnow did not send is the OOM killer's when the kernel's count rose, nobody's guess when it cannot
    // be read, and someone else's (a user, a preemption) when it did not move.
    assert.equal(oomKillEvidence('SIGKILL', false, 3, 4), 'kernel')
    assert.equal(oomKillEvidence('SIGKILL', false, undefined, undefined), 'guess')
    assert.equal(oomKillEvidence('SIGKILL', false, 3, 3), undefined)
    assert.equal(oomKillEvidence('SIGKILL', true, 3, 4), undefined)
    assert.equal(oomKillEvidence('SIGTERM', false, 3, 4), undefined)
    assert.match(oomReason('guess'), /most likely the kernel's OOM killer/)
  })
})

describe('early stopping and checkpoints', () => {
  test('patience counts reports without an improvement larger than minDelta', () => {
    const t = new EarlyStopTracker({ patience: 2, minDelta: 0.1 }, 'minimize')
    assert.equal(t.observe(1, 2).kind, 'ok')
    assert.equal(t.observe(2, 1.95).kind, 'ok') // better, but by less than minDelta
    assert.equal(t.observe(3, 1.92).kind, 'plateau')
    assert.equal(t.bestValue, 1.92)
    const d = new EarlyStopTracker({ divergence: { above: 10 } }, 'minimize')
    assert.equal(d.observe(1, 11).kind, 'diverged')
    assert.equal(d.observe(2, Number.POSITIVE_INFINITY).kind, 'diverged')
  })

  test('retention keeps the last (and the best) checkpoint and never deletes outside the trial folder', async () => {
    const dir = tmp()
    const outside = join(tmp(), 'elsewhere.pt')
    writeFileSync(outside, 'x')
    const mk = (name: string) => {
      mkdirSync(join(dir, name), { recursive: true })
      return join(dir, name)
    }
    const recs = [
      { path: outside, step: 0, value: 9 },
      { path: mk('s1'), step: 1, value: 3 },
      { path: mk('s2'), step: 2, value: 1 },
      { path: mk('s3'), step: 3, value: 2 },
    ]
    const kept = await retainCheckpoints(dir, recs, 'best-and-last', 'minimize')
    assert.deepEqual(
      kept.map((r) => r.step),
      [2, 3],
    )
    assert.equal(existsSync(join(dir, 's1')), false)
    assert.ok(existsSync(join(dir, 's2')) && existsSync(join(dir, 's3')))
    assert.ok(existsSync(outside), 'a path outside the trial folder is never deleted')
    const last = await retainCheckpoints(dir, kept, 'last', 'minimize')
    assert.deepEqual(
      last.map((r) => r.step),
      [3],
    )
    assert.equal(existsSync(join(dir, 's2')), false)
    assert.equal(isInside(dir, '../x'), false)
  })
})

describe('progress', () => {
  /** A non-TTY progress writing into a string. */
  const plainProgress = (opts: Omit<Parameters<typeof createProgress>[0] & object, 'stream' | 'tty'>) => {
    const out = new PassThrough()
    let written = ''
    out.on('data', (c) => {
      written += c
    })
    const p = createProgress({ ...opts, stream: out as unknown as NodeJS.WriteStream, tty: false })
    return { p, text: () => written }
  }

  test('recovered trials resume from their checkpoint, or start again from scratch when they sent none', () => {
    const { p, text } = plainProgress({})
    p.onEvent({ type: 'trials-recovered', numbers: [0], fromScratch: [0] })
    p.onEvent({ type: 'trials-recovered', numbers: [1], fromScratch: [] })
    p.onEvent({ type: 'trials-recovered', numbers: [2, 3, 4], fromScratch: [3] })
    assert.match(text(), /recovered trial #0 of a dead worker; it starts again from scratch \(no checkpoint\)/)
    assert.match(text(), /recovered trial #1 of a dead worker; it resumes from its checkpoint/)
    assert.match(
      text(),
      /recovered trials #2, #3, #4 of a dead worker; #2, #4 resume from their checkpoints, #3 starts again from scratch \(no checkpoint\)$/m,
    )
  })

  test("another worker's completed trials set the best and the baseline; the same trial is news once", () => {
    const { p, text } = plainProgress({})
    p.onEvent({ type: 'run-started', study: 's', budget: {}, concurrency: 1, finishedBefore: 0 })
    const done = (id: number, value: number, baseline = false) =>
      ({
        id,
        number: id,
        state: 'COMPLETE',
        values: [value],
        systemAttrs: baseline ? { baseline: true } : {},
      }) as unknown as FrozenTrial
    const elsewhere = new ResultsElsewhere([done(0, 9)])
    elsewhere.mine(2)
    const news = elsewhere.take([done(0, 9), done(1, 2, true), done(2, 0.5), done(3, 1)])
    assert.deepEqual(
      news?.trials.map((t) => [t.number, t.values[0], t.baseline]),
      [
        [1, 2, true],
        [3, 1, false],
      ],
      'not #0 (finished before the run) nor #2 (run here)',
    )
    assert.equal(elsewhere.take([done(1, 2, true), done(3, 1)]), undefined)
    p.onEvent(news!)
    assert.deepEqual(
      [p.state.best, p.state.baseline],
      [
        { number: 3, value: 1 },
        { number: 1, value: 2 },
      ],
    )
    assert.match(text(), /completed by another worker: #1 2; #3 1 \| .*best 1 \(#3\) \+50(\.0)?% vs baseline/)
  })

  test('non-TTY mode prints one plain line per finished trial with best and gain over the baseline', () => {
    const out = new PassThrough()
    let text = ''
    out.on('data', (c) => {
      text += c
    })
    const p = createProgress({ stream: out as unknown as NodeJS.WriteStream, tty: false })
    p.onEvent({ type: 'run-started', study: 's', budget: { trials: 3 }, concurrency: 2, finishedBefore: 0 })
    const fin = (number: number, value: number, baseline: boolean) =>
      p.onEvent({
        type: 'trial-finished',
        number,
        state: 'COMPLETE',
        values: [value],
        baseline,
        wallSeconds: 1,
        gpuSeconds: 0,
      })
    fin(0, 2, true)
    fin(1, 1.5, false)
    p.onEvent({
      type: 'trial-finished',
      number: 2,
      state: 'PRUNED',
      baseline: false,
      reason: 'median',
      wallSeconds: 1,
      gpuSeconds: 0,
    })
    p.close()
    const lines = text.trim().split('\n')
    assert.equal(lines.length, 4)
    assert.match(lines[2], /trial #1 COMPLETE 1\.5 \| finished 2 .* best 1\.5 \(#1\) \+25\.0% vs baseline 2/)
    assert.match(lines[3], /trial #2 PRUNED \(median\)/)
    assert.equal(text.includes('\u001b['), false)
  })

  /** A COMPLETE trial's `trial-finished` event. */
  const completed = (
    number: number,
    values: number[],
    extra: { infeasible?: boolean; reason?: string } = {},
  ): RunnerEvent => ({
    type: 'trial-finished',
    number,
    state: 'COMPLETE',
    values,
    baseline: false,
    wallSeconds: 1,
    gpuSeconds: 0,
    ...extra,
  })

  test('with several objectives the progress shows every value and the Pareto front, counting earlier trials', () => {
    const { p, text } = plainProgress({ directions: ['minimize', 'minimize'], earlier: { points: [[1, 3]] } })
    p.onEvent({ type: 'run-started', study: 's', budget: { trials: 3 }, concurrency: 1, finishedBefore: 1 })
    p.onEvent(completed(1, [3, 1])) // a trade-off: both on the front
    p.onEvent(completed(2, [4, 4])) // dominated by both
    p.close()
    const lines = text().trim().split('\n')
    assert.match(lines[1], /trial #1 COMPLETE 3, 1 \| .* Pareto front 2 of 2 /)
    assert.match(lines[2], /trial #2 COMPLETE 4, 4 \| .* Pareto front 2 of 3 /)
  })

  test('an infeasible trial (a constraint broken) is neither the best nor on the Pareto front, and says why', () => {
    const { p, text } = plainProgress({})
    p.onEvent({ type: 'run-started', study: 's', budget: { trials: 2 }, concurrency: 1, finishedBefore: 0 })
    p.onEvent(completed(0, [0.5]))
    p.onEvent(completed(1, [0.1], { infeasible: true, reason: 'infeasible: mem 45 > max 40' }))
    const mo = plainProgress({ directions: ['minimize', 'minimize'] })
    mo.p.onEvent({ type: 'run-started', study: 's', budget: { trials: 2 }, concurrency: 1, finishedBefore: 0 })
    mo.p.onEvent(completed(0, [0.1, 0.1], { infeasible: true }))
    p.close()
    mo.p.close()
    const lines = text().trim().split('\n')
    assert.match(lines[2], /trial #1 COMPLETE 0\.1 \(infeasible: mem 45 > max 40\) \| .* best 0\.5 \(#0\)/)
    assert.match(mo.text(), /Pareto front - /, 'no feasible trial yet')
    // An infeasible baseline: the gain over it says so.
    const b = plainProgress({})
    b.p.onEvent({ type: 'run-started', study: 's', budget: { trials: 2 }, concurrency: 1, finishedBefore: 0 })
    b.p.onEvent({ ...completed(0, [2], { infeasible: true }), baseline: true } as RunnerEvent)
    b.p.onEvent(completed(1, [1.5]))
    b.p.close()
    assert.match(b.text(), /best 1\.5 \(#1\) \+25\.0% vs baseline 2 \(infeasible\)/)
  })

  test("a continued study's progress starts from the study's best and baseline, not this run's", () => {
    const { p, text } = plainProgress({
      earlier: { best: { number: 9, value: 0.17 }, baseline: { number: 0, value: 0.5 } },
    })
    p.onEvent({ type: 'run-started', study: 's', budget: { trials: 15 }, concurrency: 1, finishedBefore: 12 })
    p.onEvent({
      type: 'trial-finished',
      number: 12,
      state: 'COMPLETE',
      values: [0.32],
      baseline: false,
      wallSeconds: 1,
      gpuSeconds: 0,
    })
    p.close()
    assert.match(text(), /trial #12 COMPLETE 0\.32 \| .* best 0\.17 \(#9\) \+66\.0% vs baseline 0\.5/)
  })
})
