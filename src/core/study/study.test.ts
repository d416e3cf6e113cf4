import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import type { AutoSampler } from '../samplers/auto-sampler.ts'
import { GridSampler } from '../samplers/grid-sampler.ts'
import { RandomSampler } from '../samplers/random-sampler.ts'
import { HyperbandScheduler } from '../schedulers/hyperband-scheduler.ts'
import { MedianScheduler } from '../schedulers/median-scheduler.ts'
import { PatientScheduler } from '../schedulers/patient-scheduler.ts'
import type { Scheduler } from '../schedulers/scheduler.ts'
import { SuccessiveHalvingScheduler } from '../schedulers/successive-halving-scheduler.ts'
import { reasonOf } from '../trial/frozen-trial.ts'
import { Study } from './study.ts'
import { type Trial, TrialPruned } from './trial.ts'

const newStudy = (opts: Partial<Parameters<typeof Study.create>[0]> = {}) =>
  Study.create({ storage: new MemoryStorage(), name: 's', seed: 1, ...opts })

describe('Study', () => {
  test('the default sampler is auto (as in study files); its name is stored with the study', async () => {
    const study = await newStudy()
    assert.equal(study.sampler.name, 'auto')
    assert.equal(study.info.systemAttrs.sampler, 'auto')
  })

  test('ask / tell round trip and best trial', async () => {
    const study = await newStudy()
    for (let i = 0; i < 20; i++) {
      const t = await study.ask()
      const x = t.suggestFloat('x', -5, 5)
      await study.tell(t, (x - 1) ** 2)
    }
    const trials = await study.trials()
    assert.equal(trials.length, 20)
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(20).keys()],
    )
    const best = await study.bestTrial()
    const minimum = Math.min(...trials.map((t) => t.values![0]))
    assert.equal(best?.values?.[0], minimum)
  })

  test('the same seed reproduces the same parameters, also with concurrency (a history-free sampler)', async () => {
    const run = async (concurrency: number) => {
      const study = await newStudy({ seed: 7, sampler: new RandomSampler() })
      await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestInt('n', 1, 9), { trials: 12, concurrency })
      return (await study.trials()).map((t) => t.params)
    }
    const a = await run(1)
    assert.deepEqual(a, await run(1))
    assert.deepEqual(a, await run(4))
  })

  test('an enqueued baseline is the first trial and keeps its values', async () => {
    const study = await newStudy()
    await study.enqueue({ lr: 2e-4, r: 16 }, { baseline: true })
    const t = await study.ask()
    assert.equal(t.suggestFloat('lr', 1e-5, 1e-2, { log: true }), 2e-4)
    assert.equal(t.suggestCategorical('r', [8, 16, 32]), 16)
    const done = await study.tell(t, 1.5)
    assert.equal(done.systemAttrs.baseline, true)
    assert.equal(done.number, 0)
  })

  test('a study has one baseline: the same again is not queued twice, another is refused, a failed one re-queues', async () => {
    const study = await newStudy()
    const first = await study.enqueue({ x: 1 }, { baseline: true })
    assert.equal(
      (await study.enqueue({ x: 1 }, { baseline: true })).id,
      first.id,
      'a re-run script gets the same trial',
    )
    await assert.rejects(
      study.enqueue({ x: 2 }, { baseline: true }),
      /Study "s" already has baseline #0 \(\{"x":1\}\); a study has one baseline\. Enqueue \{"x":2\} without \{ baseline: true \}/,
    )
    const t = await study.ask()
    t.suggestFloat('x', 0, 5)
    await study.tell(t, undefined, { state: 'FAIL' })
    const again = await study.enqueue({ x: 1 }, { baseline: true })
    assert.notEqual(again.id, first.id, 'a failed baseline is queued again')
    assert.equal((await study.trials()).filter((tr) => tr.systemAttrs.baseline === true).length, 2)
  })

  test('tell(number) finishes the trial with that number in this study, not the one with that storage id', async () => {
    const storage = new MemoryStorage()
    await (await Study.create({ storage, name: 'other', seed: 1 })).ask() // shifts storage ids off trial numbers
    const study = await Study.create({ storage, name: 's', seed: 1 })
    const t0 = await study.ask()
    const t1 = await study.ask()
    assert.deepEqual([t0.number, t1.number], [0, 1])
    assert.notEqual(t1.id, 1)
    const done = await study.tell(1, 0.123)
    assert.equal(done.number, 1)
    assert.deepEqual(
      (await study.trials()).map((t) => [t.number, t.state, t.values]),
      [
        [0, 'RUNNING', null],
        [1, 'COMPLETE', [0.123]],
      ],
    )
    await assert.rejects(
      study.tell(t1.id + 5, 1),
      new RegExp(`Study "s" has no trial #${t1.id + 5} \\(its trials are #0–#1, running: #0\\)`),
    )
    await study.tell(0, undefined, { state: 'PRUNED' })
    assert.equal((await study.trials())[0].state, 'PRUNED')
  })

  test('tell(number) writes what the asked trial suggested; a queued trial cannot be told', async () => {
    const storage = new MemoryStorage()
    const study = await Study.create({ storage, name: 's', seed: 1 })
    const t = await study.ask()
    const x = t.suggestFloat('x', 0, 1)
    await study.tell(t.number, x)
    const [done] = await study.trials()
    assert.deepEqual(done.params, { x }, 'the buffered suggestion is stored')
    await study.enqueue({ x: 0.5 })
    await assert.rejects(
      study.tell(1, undefined, { state: 'PRUNED' }),
      /Trial #1 of study "s" is queued and has not run/,
    )
    assert.equal((await study.trials())[1].state, 'WAITING')
  })

  test('loading a study whose baseline failed queues the given baseline again (once), as `winnow tune` does', async () => {
    const storage = new MemoryStorage()
    const objective = (t: Trial) => t.suggestFloat('lr', 1e-5, 1e-2, { log: true })
    const first = await Study.create({ storage, name: 'b', seed: 1, baseline: { lr: 0.2 } })
    await first.optimize(objective, { trials: 2, catchErrors: true })
    assert.match(String((await first.trials())[0].systemAttrs.failReason), /Enqueued value 0\.2 for "lr"/)
    const load = (baseline?: { lr: number }) =>
      Study.create({ storage, name: 'b', loadIfExists: true, ...(baseline ? { baseline } : {}) })
    await load() // no baseline given: nothing to queue
    const fixed = await load({ lr: 0.0002 })
    await load({ lr: 0.0002 }) // a second load finds the queued one
    const queued = (await fixed.trials()).filter((t) => t.state === 'WAITING')
    assert.deepEqual(
      queued.map((t) => [t.systemAttrs.baseline, t.systemAttrs.fixedParams]),
      [[true, { lr: 0.0002 }]],
    )
    await fixed.optimize(objective, { trials: 1 })
    const rerun = (await fixed.trials()).find((t) => t.id === queued[0].id)
    assert.deepEqual([rerun?.state, rerun?.params], ['COMPLETE', { lr: 0.0002 }])
    await load({ lr: 0.0002 }) // a baseline that completed is not queued again
    assert.equal((await fixed.trials()).filter((t) => t.state === 'WAITING').length, 0)
  })

  test('an enqueued value outside the space is refused with a clear error', async () => {
    const study = await newStudy()
    await study.enqueue({ lr: 5 })
    const t = await study.ask()
    assert.throws(() => t.suggestFloat('lr', 0, 1), /Enqueued value 5 for "lr" in trial #0 is outside its distribution/)
  })

  test('the same parameter name with another distribution is refused', async () => {
    const study = await newStudy()
    const t = await study.ask()
    t.suggestFloat('x', 0, 1)
    assert.equal(t.suggestFloat('x', 0, 1), t.suggested.x)
    assert.throws(() => t.suggestInt('x', 0, 3), /already suggested .* different distribution/)
  })

  test('NaN fails the trial, wrong number of values is an error, TrialPruned prunes', async () => {
    const study = await newStudy()
    const t = await study.ask()
    const failed = await study.tell(t, Number.NaN)
    assert.equal(failed.state, 'FAIL')
    const t2 = await study.ask()
    await assert.rejects(study.tell(t2, [1, 2]), /has 1 objective\(s\) but trial got 2 value\(s\)/)
    await study.optimize(
      () => {
        throw new TrialPruned('too slow')
      },
      { trials: 1 },
    )
    const last = (await study.trials()).at(-1)!
    assert.equal(last.state, 'PRUNED')
    assert.equal(last.systemAttrs.pruneReason, 'too slow')
  })

  test('telling a finished trial again is refused', async () => {
    const study = await newStudy()
    const t = await study.ask()
    await study.tell(t, 1)
    await assert.rejects(study.tell(t, 2), /is COMPLETE and cannot become COMPLETE/)
  })

  test('objective errors become FAIL trials and are rethrown unless catchErrors', async () => {
    const study = await newStudy()
    await assert.rejects(
      study.optimize(
        () => {
          throw new Error('boom')
        },
        { trials: 3 },
      ),
      /boom/,
    )
    await study.optimize(
      () => {
        throw new Error('boom')
      },
      { trials: 2, catchErrors: true },
    )
    const states = (await study.trials()).map((t) => t.state)
    assert.deepEqual(states, ['FAIL', 'FAIL', 'FAIL'])
  })

  test('an objective returning a string fails its trial with a message naming the type, not its length', async () => {
    const study = await newStudy()
    const expected =
      /The value of trial #0 must be a number or an array of numbers \(one per objective\), but got "0\.123456789012345" \(a string\)/
    await assert.rejects(
      study.optimize(() => '0.123456789012345' as never, { trials: 1 }),
      expected,
    )
    const [t] = await study.trials()
    assert.equal(t.state, 'FAIL')
    assert.match(String(t.systemAttrs.failReason), expected)
  })

  test("timeoutSeconds is in seconds (as Optuna's timeout); the older timeout stays milliseconds", async () => {
    const slow = async (t: Trial) => {
      await new Promise((r) => setTimeout(r, 30))
      return t.suggestFloat('x', 0, 1)
    }
    const study = await newStudy()
    const started = Date.now()
    await study.optimize(slow, { trials: Number.POSITIVE_INFINITY, timeoutSeconds: 0.1 })
    const n = (await study.trials()).length
    // 30 ms trials, none started after 100 ms: at most 4 (fewer on a busy machine), and the limit was not 100 s.
    assert.ok(n >= 1 && n <= 4, `${n} trials`)
    assert.ok(Date.now() - started < 5000)
    const legacy = await newStudy()
    await legacy.optimize(slow, { trials: Number.POSITIVE_INFINITY, timeout: 100 })
    assert.ok((await legacy.trials()).length <= 4)
    await assert.rejects(
      study.optimize(slow, { trials: 1, timeoutSeconds: 60, timeout: 60_000 }),
      /optimize\(\): give one time limit, but got timeoutSeconds: 60 and timeout: 60000 \(milliseconds\)\. Keep timeoutSeconds\./,
    )
    await assert.rejects(
      study.optimize(slow, { trials: 1, timeoutSeconds: '3600' as never }),
      /optimize\(\): timeoutSeconds must be seconds >= 0 \(e\.g\. 3600 for an hour\), but got "3600" \(a string\)/,
    )
    await assert.rejects(
      study.optimize(slow, { trials: Number.POSITIVE_INFINITY }),
      /trials must be finite unless timeoutSeconds is given/,
    )
  })

  test('multi-objective: Pareto front holds exactly the non-dominated trials', async () => {
    const study = await newStudy({ directions: ['minimize', 'minimize'] })
    const points = [
      [1, 5],
      [2, 2],
      [5, 1],
      [3, 3],
      [6, 6],
    ]
    for (const p of points) await study.tell(await study.ask(), p)
    const front = (await study.paretoFront()).map((t) => t.values)
    assert.deepEqual(front, [
      [1, 5],
      [2, 2],
      [5, 1],
    ])
    await assert.rejects(study.bestTrial(), /several objectives; use paretoFront/)
  })

  test('report returns the scheduler decision and stores intermediate values', async () => {
    const stopAbove: Scheduler = {
      name: 'stop-above',
      decide: (_ctx, trial) =>
        trial.intermediate.at(-1)!.value > 1 ? { action: 'prune', reason: 'above 1' } : { action: 'continue' },
    }
    const study = await newStudy({ scheduler: stopAbove })
    const t = await study.ask()
    t.suggestFloat('x', 0, 1)
    assert.deepEqual(await t.report(1, 0.5), { action: 'continue' })
    assert.deepEqual(await t.report(2, 1.5), { action: 'prune', reason: 'above 1' })
    const stored = await study.storage.getTrial(t.id)
    assert.deepEqual(stored.intermediate, [
      { step: 1, value: 0.5 },
      { step: 2, value: 1.5 },
    ])
    assert.equal(typeof stored.params.x, 'number')
  })

  test('conditional parameters (define-by-run)', async () => {
    const study = await newStudy()
    await study.optimize(
      (t) => {
        const method = t.suggestCategorical('method', ['full', 'lora'])
        return method === 'lora' ? t.suggestInt('rank', 4, 64, { log: true }) : t.suggestFloat('lr', 0, 1)
      },
      { trials: 30 },
    )
    for (const t of await study.trials()) {
      const keys = Object.keys(t.params).sort()
      assert.deepEqual(keys, t.params.method === 'lora' ? ['method', 'rank'] : ['lr', 'method'])
    }
  })

  test('grid sampler runs every point once with 4 concurrent workers, then stops', async () => {
    const sampler = new GridSampler({ grid: { a: [1, 2, 3], b: ['x', 'y'] } })
    const study = await newStudy({ sampler })
    await study.optimize(
      (t) => (t.suggestInt('a', 1, 3) as number) + (t.suggestCategorical('b', ['x', 'y']) === 'x' ? 0 : 10),
      {
        trials: 100,
        concurrency: 4,
      },
    )
    const seen = (await study.trials()).map((t) => `${t.params.a}${t.params.b}`).sort()
    assert.deepEqual(seen, ['1x', '1y', '2x', '2y', '3x', '3y'])
  })

  test('the baseline is trial #0 before a grid, and the grid point equal to it is not run twice', async () => {
    const sampler = new GridSampler({ grid: { a: [1, 2, 3], b: ['x', 'y'] } })
    const study = await newStudy({ sampler, baseline: { a: 2, b: 'y' } })
    await study.optimize(
      (t) => (t.suggestInt('a', 1, 3) as number) + (t.suggestCategorical('b', ['x', 'y']) === 'x' ? 0 : 10),
      { trials: 100 },
    )
    const trials = await study.trials()
    assert.deepEqual([trials[0].params, trials[0].systemAttrs.baseline], [{ a: 2, b: 'y' }, true])
    assert.deepEqual(trials.map((t) => `${t.params.a}${t.params.b}`).sort(), ['1x', '1y', '2x', '2y', '3x', '3y'])
  })

  test('a second process loading the study sees its trials (incremental reads)', async () => {
    const storage = new MemoryStorage()
    const a = await Study.create({ storage, name: 'shared', seed: 3 })
    const b = await Study.create({ storage, name: 'shared', loadIfExists: true })
    assert.equal(b.seed, 3)
    await a.tell(await a.ask(), 1)
    assert.equal((await b.trials()).length, 1)
    await b.tell(await b.ask(), 2)
    assert.deepEqual(
      (await a.trials()).map((t) => t.values),
      [[1], [2]],
    )
    await assert.rejects(Study.create({ storage, name: 'shared' }), /already exists/)
    await assert.rejects(Study.load({ storage, name: 'nope' }), /Study "nope" does not exist .*Studies there: shared\./)
    await assert.rejects(
      Study.load({ storage: new MemoryStorage(), name: 'nope' }),
      /It has no studies; Study\.create\(\) makes it\./,
    )
  })

  test('misuse is refused with what, where and how to fix, and nothing stored is changed', async () => {
    const storage = new MemoryStorage()
    const a = await Study.create({ storage, name: 'a', seed: 1 })
    const b = await Study.create({ storage, name: 'b', directions: ['maximize'], seed: 1 })
    // Another study's trial: refused, and neither study changes.
    const tb = await b.ask()
    tb.suggestFloat('y', 0, 1)
    await assert.rejects(
      a.tell(tb, -100),
      /Trial #0 belongs to another study, not "a"\. Tell it on the study that asked it/,
    )
    // A number is the trial's number within the study (as in Optuna), so another study's trial cannot be meant.
    await assert.rejects(
      a.tell(tb.number, -100),
      /Study "a" has no trial #0 \(it has no trials yet\)\. tell\(\) takes the Trial that ask\(\) returned or its number within the study \(trial\.number\), not its storage id/,
    )
    assert.equal((await a.trials()).length, 0)
    assert.equal((await b.trials())[0].state, 'RUNNING')
    // Loading with other objectives would optimise the wrong way.
    await assert.rejects(
      Study.create({ storage, name: 'a', directions: ['maximize'], loadIfExists: true }),
      /Study "a" exists with other objectives: this call asks for directions \[maximize\] \(stored: \[minimize\]\)/,
    )
    await assert.rejects(
      Study.create({ storage, name: 'a', metricNames: ['loss'], loadIfExists: true }),
      /metric names \[loss\] \(stored: \[value\]\)/,
    )
    // A value with PRUNED, a suggestion after tell.
    await assert.rejects(b.tell(tb, 0.5, { state: 'PRUNED' }), /A PRUNED trial takes no objective value/)
    await assert.rejects(
      b.tell(tb, 0.5, { constraints: ['1'] as unknown as number[] }),
      /Constraints of trial #0 must be numbers \(feasible when <= 0, NaN when unknown\), but got \["1"\]/,
    )
    // A string (a metric read from a log) or a scalar constraint: the type is named, not its length counted.
    await assert.rejects(
      b.tell(tb, '0.5' as never),
      /The value of trial #0 must be a number or an array of numbers \(one per objective\), but got "0\.5" \(a string\)\. Convert a metric read as text first, e\.g\. Number\(text\)\./,
    )
    await assert.rejects(b.tell(tb, ['0.5'] as never), /must be a number or an array of numbers .* but got \["0\.5"\]/)
    await assert.rejects(
      b.tell(tb, null as never),
      /must be a number or an array of numbers .* but got null\. Return the objective value/,
    )
    await assert.rejects(
      b.tell(tb, 0.5, { constraints: -11.89 as never }),
      /Constraints of trial #0 must be an array of numbers, one per constraint \(feasible when <= 0\), but got -11\.89\. Wrap a single constraint in an array: constraints: \[-11\.89\]\./,
    )
    await b.tell(tb, 0.5)
    assert.throws(
      () => tb.suggestFloat('late', 0, 1),
      /Trial #0 is already finished \(told\), so "late" cannot be suggested/,
    )
    // Misspelled option names (plain JavaScript, options from JSON): refused, not replaced by defaults.
    await assert.rejects(
      Study.create({ storage, name: 'c', smapler: new RandomSampler() } as never),
      /Study\.create has no option `smapler`\. Did you mean `sampler`\?/,
    )
    assert.deepEqual(
      (await storage.listStudies()).map((s) => s.name),
      ['a', 'b'],
      'no study created',
    )
    await assert.rejects(
      Study.load({ storage, name: 'a', schedular: undefined } as never),
      /Study\.load has no option `schedular`/,
    )
    await assert.rejects(
      a.optimize(() => 1, { trails: 5 } as never),
      /optimize\(\) has no option `trails`\. Did you mean `trials`\?/,
    )
    await assert.rejects(
      b.tell(tb, 0.5, { constraint: [1] } as never),
      /tell\(\) has no option `constraint`\. Did you mean `constraints`\?/,
    )
    const tc = await (await Study.create({ storage, name: 'typo', seed: 1 })).ask()
    assert.throws(
      () => tc.suggestFloat('lr', 1e-5, 1e-2, { lgo: true } as never),
      /suggestFloat\("lr"\) has no option `lgo`\. Did you mean `log`\?/,
    )
    assert.throws(() => tc.suggestInt('r', 4, 64, { setp: 4 } as never), /suggestInt\("r"\) has no option `setp`/)
    // Python's positional log flag would sample linearly: refused, nothing suggested.
    assert.throws(
      () => tc.suggestFloat('lr', 1e-5, 1e-3, true as never),
      /suggestFloat\("lr"\) options must be an object like \{ log: true \} or \{ step: 4 \}, but got true\. A positional flag is not read as log: write suggestFloat\(name, low, high, \{ log: true \}\)/,
    )
    assert.throws(
      () => tc.suggestInt('r', 4, 64, 4 as never),
      /suggestInt\("r"\) options must be an object .* but got 4\./,
    )
    assert.throws(() => tc.suggestInt('r', 4, 64, null as never), /suggestInt\("r"\) options must be an object/)
    assert.deepEqual(tc.suggested, {})
    // optimize(): bad counts, a misspelled enqueued parameter, a promotion-mode scheduler.
    await assert.rejects(
      a.optimize(() => 1, { trials: Number.NaN }),
      /optimize\(\): trials must be a whole number >= 0/,
    )
    await assert.rejects(
      a.optimize(() => 1, { trials: -1 }),
      /trials must be/,
    )
    await assert.rejects(
      a.optimize(() => 1, { trials: 2, concurrency: 0 }),
      /concurrency must be a whole number >= 1/,
    )
    await a.enqueue({ lrr: 0.5 }, { baseline: true })
    await assert.rejects(
      a.optimize((t) => t.suggestFloat('lr', 0, 1), { trials: 1 }),
      /Trial #0 was enqueued with "lrr", which the objective never suggested \(it suggested lr\)\. Fix the name in enqueue\(\)/,
    )
    assert.equal((await a.trials())[0].state, 'FAIL', 'recorded as failed, not as a baseline result')
    const promo = await Study.create({
      storage,
      name: 'promo',
      scheduler: new SuccessiveHalvingScheduler({
        resource: { kind: 'steps', min: 1, max: 9, reductionFactor: 3 },
        mode: 'promotion',
      }),
    })
    await assert.rejects(
      promo.optimize(() => 1, { trials: 1 }),
      /pauses trials at rungs .* use mode: 'stopping'/,
    )
  })

  test('optimize passes the values of its constraints function to tell; the best is feasible', async () => {
    const study = await newStudy({ sampler: new RandomSampler() })
    // The objective prefers large x, but x > 0.5 breaks the constraint.
    await study.optimize((t) => -t.suggestFloat('x', 0, 1), {
      trials: 30,
      constraints: (t) => [(t.suggested.x as number) - 0.5],
    })
    const best = (await study.bestTrial())!
    assert.ok((best.params.x as number) <= 0.5, `best x ${best.params.x}`)
    // A broken one says why, as the runner's constraints do (`winnow trials`, the report).
    const broken = (await study.trials()).find((t) => (t.params.x as number) > 0.5)!
    assert.equal(reasonOf(broken), `infeasible: constraint 1 is ${(broken.params.x as number) - 0.5} > 0`)
    assert.equal(reasonOf(best), undefined)
    assert.ok(
      (await study.trials()).some((t) => (t.params.x as number) > 0.5),
      'some trials broke it',
    )
  })

  test('a trial that broke a constraint does not set the bar for the scheduler', async () => {
    const study = await newStudy({
      scheduler: new MedianScheduler({ nStartupTrials: 1 }),
      sampler: new RandomSampler(),
    })
    const finish = async (value: number, constraints: number[]) => {
      const t = await study.ask()
      t.suggestFloat('x', 0, 1)
      await t.report(1, value)
      await study.tell(t, value, { constraints })
    }
    await finish(0.1, [1]) // great value, infeasible
    await finish(1.0, [-1]) // feasible
    const c = await study.ask()
    c.suggestFloat('x', 0, 1)
    // Against both, the median at step 1 would be 0.55 and 0.8 would be pruned; against the feasible one it is 1.0.
    assert.equal((await c.report(1, 0.8)).action, 'continue')
    // A pruned trial told with a broken constraint still counts at its rung (only completed ones are left out).
    await study.tell(c, undefined, { state: 'PRUNED', constraints: [1] })
    assert.ok((await study.schedulingContext()).history.some((t) => t.id === c.id))
  })

  test('a trial that failed after a good report does not keep its rung place (it can never go on)', async () => {
    const study = await newStudy({
      scheduler: new SuccessiveHalvingScheduler({
        resource: { kind: 'steps', min: 1, max: 4, reductionFactor: 2 },
        mode: 'stopping',
      }),
      sampler: new RandomSampler(),
    })
    const crashed = await study.ask()
    crashed.suggestFloat('x', 0, 1)
    await crashed.report(1, 0.1)
    await study.tell(crashed, undefined, { state: 'FAIL' })
    const next = await study.ask()
    next.suggestFloat('x', 0, 1)
    // With the crashed trial in rung 0 (top 1 of 2), 0.8 would be pruned; alone it goes on.
    assert.equal((await next.report(1, 0.8)).action, 'continue')
    assert.ok(!(await study.schedulingContext()).history.some((t) => t.id === crashed.id))
  })

  test('stopping-mode schedulers run in optimize, and the default sampler then learns from pruned trials', async () => {
    const resource = { kind: 'steps' as const, min: 1, max: 9, reductionFactor: 3 }
    for (const scheduler of [
      new SuccessiveHalvingScheduler({ resource, mode: 'stopping' }),
      new HyperbandScheduler({ resource }),
      new PatientScheduler(new MedianScheduler({ nStartupTrials: 2 }), { patience: 2 }),
    ]) {
      const byDefault = await newStudy({ name: `${scheduler.name}-default`, scheduler })
      assert.equal((byDefault.sampler as AutoSampler).choose({ study: byDefault.info, history: [] }).name, 'tpe')
      // Random sampling spreads x, so some trials are clearly worse than others at every step.
      const study = await newStudy({ name: scheduler.name, scheduler, sampler: new RandomSampler() })
      await study.optimize(
        async (t) => {
          const x = t.suggestFloat('x', 0, 1)
          for (let step = 1; step <= 9; step++)
            // Improves for 3 steps, then slowly worsens (so the patient rule defers to the median rule).
            if ((await t.report(step, x + (step <= 3 ? 1 / step : 1 / 3 + (step - 3) / 100))).action === 'prune')
              throw new TrialPruned()
          return x
        },
        { trials: 12 },
      )
      const states = (await study.trials()).map((t) => t.state)
      assert.equal(states.length, 12, scheduler.name)
      assert.ok(states.includes('PRUNED') && states.includes('COMPLETE'), `${scheduler.name}: ${states}`)
    }
    const plain = await newStudy({ name: 'plain' })
    assert.equal((plain.sampler as AutoSampler).choose({ study: plain.info, history: [] }).name, 'gp')
  })
})
