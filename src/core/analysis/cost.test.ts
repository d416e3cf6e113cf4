import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fixtureTrial } from '../schedulers/scheduler-fixtures.ts'
import { computeCost, resourceUnit, savedCell, savedPhrase, totalUsage } from './cost.ts'

describe('computeCost', () => {
  test('steps used vs every trial at full fidelity', () => {
    const trials = [
      fixtureTrial({
        number: 0,
        state: 'COMPLETE',
        curve: [
          [50, 2],
          [100, 1],
        ],
        systemAttrs: { gpuSeconds: 100, tokens: 1000 },
      }),
      fixtureTrial({ number: 1, state: 'PRUNED', curve: [[20, 3]], systemAttrs: { gpuSeconds: 20 } }),
      fixtureTrial({ number: 2, state: 'PAUSED', curve: [[5, 3]] }),
      fixtureTrial({ number: 3, state: 'WAITING' }),
    ]
    const c = computeCost(trials, { fullResource: 100 })
    assert.equal(c.trials, 3)
    assert.equal(c.resourceUsed, 125)
    assert.equal(c.resourceFull, 300)
    assert.ok(Math.abs(c.savedFraction - 175 / 300) < 1e-12)
    assert.deepEqual(c.gpuSeconds, { used: 120, fullEstimate: 200, trials: 2, overheadPerAttempt: 0, ratePerUnit: 1 })
    assert.deepEqual(c.tokens, { used: 1000, fullEstimate: 1000, trials: 1, overheadPerAttempt: 0, ratePerUnit: 0 })
    assert.equal(c.wallSeconds, undefined)
    assert.match(c.message, /^Used 125 of 300 steps \(saved 58%\)/)
  })

  test('a running trial claims no savings before it ends (it may yet train to full fidelity)', () => {
    const trials = [
      fixtureTrial({ number: 0, state: 'COMPLETE', curve: [[100, 1]] }),
      fixtureTrial({ number: 1, state: 'RUNNING', curve: [[10, 3]] }),
    ]
    const c = computeCost(trials, { fullResource: 100 })
    assert.deepEqual([c.trials, c.resourceUsed, c.resourceFull, c.savedFraction], [1, 100, 100, 0])
    assert.equal(c.message, 'Used 100 of 100 steps (saved 0%) (1 unfinished trial not counted yet).')
    // An interrupted run's trial, re-queued to resume, is just as unfinished.
    const requeued = fixtureTrial({ number: 2, state: 'WAITING', curve: [[10, 3]], systemAttrs: { resourceUsed: 10 } })
    const r = computeCost([trials[0], requeued], { fullResource: 100 })
    assert.equal(r.message, 'Used 100 of 100 steps (saved 0%) (1 unfinished trial not counted yet).')
  })

  test('trials that failed before using anything claim no savings', () => {
    const failed = [0, 1, 2].map((n) => fixtureTrial({ number: n, state: 'FAIL', systemAttrs: { gpuSeconds: 3600 } }))
    const c = computeCost(failed, { fullResource: 900 })
    assert.deepEqual([c.trials, c.resourceUsed, c.resourceFull, c.savedFraction], [0, 0, 0, 0])
    assert.deepEqual(
      c.gpuSeconds,
      { used: 3 * 3600, fullEstimate: 3 * 3600, trials: 3, overheadPerAttempt: 0, ratePerUnit: 0 },
      'their GPU time still counts',
    )
    const one = computeCost([...failed, fixtureTrial({ number: 3, state: 'PRUNED', curve: [[300, 2]] })], {
      fullResource: 900,
    })
    assert.match(one.message, /^Used 300 of 900 steps \(saved 67%\)/)
  })

  test("resourceUsed (the runner's sum over attempts) overrides the last step: a restart from scratch pays again", () => {
    // Paused at 40, promoted without a checkpoint: the second attempt trained 0 → 130.
    const t = fixtureTrial({ number: 0, state: 'COMPLETE', curve: [[130, 1]], systemAttrs: { resourceUsed: 170 } })
    const c = computeCost([t], { fullResource: 130 })
    assert.equal(c.resourceUsed, 170)
    assert.equal(c.savedFraction, 0)
    // More than full fidelity is said as such, not as "saved 0%" (status, report, dashboard share these words).
    assert.match(c.message, /^Used 170 of 130 steps \(31% more than running every trial once to full fidelity\)/)
    assert.equal(savedCell(170, 130), 'none (31 % more)')
    assert.equal(savedCell(40, 130), '69 %')
    assert.equal(savedPhrase(40, 130), 'saved 69%')
  })

  test('data fractions are counted in full-data trainings, every fraction a trial reported as one training', () => {
    assert.equal(resourceUnit('steps'), 'steps')
    assert.equal(resourceUnit('epochs'), 'epochs')
    const trials = [0.1, 0.3, 1].map((f, i) => fixtureTrial({ number: i, state: 'PRUNED', curve: [[f, 2]] }))
    const c = computeCost(trials, { fullResource: 1, kind: 'data_fraction' })
    assert.match(c.message, /^Used 1\.4 of 3 full-data trainings \(saved 53%\)/)
    // A subset ladder retrains on 10 %, 30 % and all of the data: 1.4 trainings, not the last fraction's 1.
    const ladder = subsetLadder({})
    const twice = fixtureTrial({ number: 1, state: 'PRUNED', curve: [[0.1, 4]] })
    const l = computeCost([ladder, twice], { fullResource: 1, kind: 'data_fraction' })
    assert.ok(Math.abs(l.resourceUsed - 1.5) < 1e-12)
    assert.match(l.message, /^Used 1\.5 of 2 full-data trainings \(saved 25%\)/)
  })

  test('wall and GPU time at full fidelity extrapolate only what grows with the resource, not the per-attempt overhead', () => {
    // Every trial costs 5 s to start plus 0.1 s per step.
    const trials = [10, 50, 100].map((steps, i) =>
      fixtureTrial({
        number: i,
        state: i === 2 ? 'COMPLETE' : 'PRUNED',
        curve: [[steps, 1]],
        systemAttrs: { wallSeconds: 5 + 0.1 * steps, gpuSeconds: 5 + 0.1 * steps },
      }),
    )
    const c = computeCost(trials, { fullResource: 100 })
    assert.ok(Math.abs(c.wallSeconds!.overheadPerAttempt - 5) < 1e-9)
    // 3 trials × 15 s; scaling whole trials by full / used would claim 60 + 20 + 15 = 95 s.
    assert.ok(Math.abs(c.wallSeconds!.fullEstimate - 45) < 1e-9, String(c.wallSeconds!.fullEstimate))
    // A trial that crashed a moment after its first report is no sample of the overhead.
    const crash = fixtureTrial({ number: 3, state: 'FAIL', curve: [[1, 9]], systemAttrs: { wallSeconds: 0.2 } })
    const withCrash = computeCost([...trials, crash], { fullResource: 100 })
    assert.ok(Math.abs(withCrash.wallSeconds!.overheadPerAttempt - 5) < 1e-9)
    // Trials whose time does not grow with the resource at all (all start-up): nothing saved in time.
    const flat = [10, 50, 100].map((steps, i) =>
      fixtureTrial({ number: i, state: 'PRUNED', curve: [[steps, 1]], systemAttrs: { wallSeconds: 0.83 } }),
    )
    const f = computeCost(flat, { fullResource: 100 })
    assert.ok(Math.abs(f.wallSeconds!.fullEstimate - f.wallSeconds!.used) < 1e-9)
    // One resource level only: overhead and rate cannot be told apart, so the cost is taken as proportional.
    const same = [0, 1].map((i) =>
      fixtureTrial({ number: i, state: 'PRUNED', curve: [[10, 1]], systemAttrs: { wallSeconds: 2 } }),
    )
    assert.equal(computeCost(same, { fullResource: 100 }).wallSeconds!.fullEstimate, 40)
  })
})

test('small GPU-hour figures keep two significant digits', () => {
  const t = fixtureTrial({ number: 0, state: 'PRUNED', curve: [[10, 1]], systemAttrs: { gpuSeconds: 15 } })
  assert.match(computeCost([t], { fullResource: 100 }).message, /; 0\.0042 of 0\.042 GPU-hours\.$/)
})

/** Trial #0 trained on 10 %, then 30 %, then all of the data (each a training of its own), and completed. */
function subsetLadder(systemAttrs: Record<string, number>) {
  const curve: [number, number][] = [
    [0.1, 3],
    [0.3, 2],
    [1, 1],
  ]
  return fixtureTrial({ number: 0, state: 'COMPLETE', curve, systemAttrs })
}

/** A trial that failed after 3 of 5 steps and its retry, which resumed at step 3 and finished (2 steps). */
function failedThenRetried(failedAttrs: Record<string, number>, retryAttrs: Record<string, number>) {
  return [
    fixtureTrial({ number: 0, state: 'FAIL', curve: [[3, 2]], systemAttrs: { resourceUsed: 3, ...failedAttrs } }),
    fixtureTrial({
      number: 1,
      state: 'COMPLETE',
      curve: [[5, 1]],
      systemAttrs: { resourceUsed: 2, retryOf: 0, ...retryAttrs },
    }),
  ]
}

describe('computeCost with continued trainings', () => {
  test('a retry that resumed a failed trial adds what it trained, not a second full training to compare with', () => {
    const c = computeCost(failedThenRetried({ wallSeconds: 3 }, { wallSeconds: 2 }), { fullResource: 5 })
    assert.match(c.message, /^Used 5 of 5 steps \(saved 0%\)/)
    // The failed attempt's configuration went on in the retry: nothing of it is extrapolated.
    assert.equal(c.wallSeconds!.fullEstimate, 5)
  })
})

describe('computeCost over retry chains', () => {
  test('a crash before any report, then a retry that finished: one full training, not none (the crash is extra)', () => {
    const crashed = fixtureTrial({ number: 0, state: 'FAIL', systemAttrs: { gpuSeconds: 30 } })
    const retry = fixtureTrial({
      number: 1,
      state: 'COMPLETE',
      curve: [[100, 1]],
      systemAttrs: { retryOf: 0, gpuSeconds: 1000, tokens: 100_000 },
    })
    const c = computeCost([crashed, retry], { fullResource: 100 })
    assert.match(
      c.message,
      /^Used 100 of 100 steps \(saved 0%\); 0\.29 of 0\.28 GPU-hours; 100,000 of 100,000 tokens\.$/,
    )
  })

  test('a chain of retries that all failed is no saving; a retry not yet run keeps its chain out', () => {
    const failing = (number: number, retryOf?: number) =>
      fixtureTrial({
        number,
        state: 'FAIL',
        curve: [[5, 9]],
        systemAttrs: { gpuSeconds: 60, ...(retryOf !== undefined ? { retryOf } : {}) },
      })
    const broken = computeCost([failing(0), failing(1, 0), failing(2), failing(3)], { fullResource: 1000 })
    assert.match(broken.message, /^Used 20 of 20 steps \(saved 0%\); 0\.067 of 0\.067 GPU-hours\.$/)
    const queued = fixtureTrial({ number: 1, state: 'WAITING', systemAttrs: { retryOf: 0, resourceUsed: 0 } })
    const waiting = computeCost([failing(0), queued], { fullResource: 1000 })
    assert.equal(waiting.message, 'Used 0 of 0 steps (saved 0%) (1 unfinished trial not counted yet).')
  })
})

describe('computeCost counts tokens once per token trained', () => {
  test('a subset ladder, a restart from scratch and a resumed retry agree with the steps line', () => {
    // A ladder's count adds its trainings (100 + 300 + 1,000 tokens); a trial pruned after 10 % trained 100.
    const ladder = subsetLadder({ tokens: 1400 })
    const cut = fixtureTrial({ number: 1, state: 'PRUNED', curve: [[0.1, 4]], systemAttrs: { tokens: 100 } })
    const d = computeCost([ladder, cut], { fullResource: 1, kind: 'data_fraction' })
    assert.match(d.message, /^Used 1\.5 of 2 full-data trainings \(saved 25%\); 1,500 of 2,000 tokens\.$/)
    // Paused at 40 without a checkpoint, restarted from 0 to 90: it trained 130 steps; its count restarted too.
    const restarted = fixtureTrial({
      number: 0,
      state: 'COMPLETE',
      curve: [[90, 1]],
      systemAttrs: { resourceUsed: 130, tokens: 90_000 },
    })
    assert.match(computeCost([restarted], { fullResource: 90 }).message, /; 130,000 of 90,000 tokens\.$/)
    // A retry resumed at step 3 and counted on from the failed trial's 300 tokens.
    assert.match(
      computeCost(failedThenRetried({ tokens: 300 }, { tokens: 500 }), { fullResource: 5 }).message,
      /^Used 5 of 5 steps \(saved 0%\); 500 of 500 tokens\.$/,
    )
  })

  test('a crash is no saving: it would have crashed at full fidelity too', () => {
    const crashed = fixtureTrial({ number: 0, state: 'FAIL', curve: [[10, 2]] })
    const done = fixtureTrial({ number: 1, state: 'COMPLETE', curve: [[100, 1]] })
    assert.match(computeCost([crashed, done], { fullResource: 100 }).message, /^Used 110 of 110 steps \(saved 0%\)/)
  })
})

describe('totalUsage', () => {
  test('sums wall time, GPU time and tokens of the trials that recorded them, in any state', () => {
    const trials = [
      fixtureTrial({ number: 0, state: 'COMPLETE', systemAttrs: { wallSeconds: 60, gpuSeconds: 120, tokens: 500 } }),
      fixtureTrial({ number: 1, state: 'FAIL', systemAttrs: { wallSeconds: 2.5, gpuSeconds: 5 } }),
      fixtureTrial({ number: 2, state: 'WAITING' }),
    ]
    assert.deepEqual(totalUsage(trials), { trials: 2, wallSeconds: 62.5, gpuSeconds: 125, tokens: 500 })
    assert.deepEqual(totalUsage([]), { trials: 0, wallSeconds: 0, gpuSeconds: 0, tokens: 0 })
  })
})
