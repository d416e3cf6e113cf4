import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HyperbandScheduler } from './hyperband-scheduler.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'

describe('HyperbandScheduler', () => {
  test('bracket sizes follow Li et al. (R = 81, η = 3: 81, 34, 15, 8, 5)', () => {
    const hb = new HyperbandScheduler({ resource: { min: 1, max: 81, reductionFactor: 3 } })
    assert.deepEqual(hb.bracketSizes, [81, 34, 15, 8, 5])
    assert.deepEqual(
      hb.brackets.map((b) => b.ladder.rungs),
      [[1, 3, 9, 27], [3, 9, 27], [9, 27], [27], []],
    )
  })

  test('the anchor setting (5..100, η = 3) has brackets of 9, 5 and 3 trials', () => {
    const hb = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 } })
    assert.deepEqual(hb.bracketSizes, [9, 5, 3])
    assert.deepEqual(
      hb.brackets.map((b) => b.ladder.rungs),
      [[5, 15, 45], [15, 45], [45]],
    )
    const counts = [0, 0, 0]
    for (let n = 0; n < 17; n++) counts[hb.bracketOf(n)]++
    assert.deepEqual(counts, [9, 5, 3])
    // Deterministic and periodic in the trial number.
    for (let n = 0; n < 40; n++) assert.equal(hb.bracketOf(n), hb.bracketOf(n + 17))
  })

  test('brackets: k keeps the k most aggressive brackets, with their sizes; 1 is successive halving from min', () => {
    const two = new HyperbandScheduler({ resource: { min: 1, max: 81, reductionFactor: 3 }, brackets: 2 })
    assert.deepEqual(two.bracketSizes, [81, 34])
    assert.deepEqual(
      two.brackets.map((b) => b.ladder.rungs),
      [
        [1, 3, 9, 27],
        [3, 9, 27],
      ],
    )
    const one = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 }, brackets: 1 })
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => one.bracketOf(n)),
      [0, 0, 0, 0],
    )
    assert.equal(new HyperbandScheduler({ resource: { min: 5, max: 100 }, brackets: 9 }).brackets.length, 3)
    assert.throws(() => new HyperbandScheduler({ resource: { min: 5, max: 100 }, brackets: 0 }), /brackets must be/)
  })

  test('trials compete only within their bracket', () => {
    const hb = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 } })
    const inBracket = (b: number) => Array.from({ length: 60 }, (_, n) => n).filter((n) => hb.bracketOf(n) === b)
    const [a0, a1, a2] = inBracket(0)
    const [o0, o1] = inBracket(1)
    const curve = (v: number) => Array.from({ length: 15 }, () => v)
    // Bracket 0 at rung 5: values 1 and 2 → the third (3) is cut. Bracket-1 trials with tiny values do not count.
    const history = [
      fixtureTrial({ number: a0, curve: curve(1) }),
      fixtureTrial({ number: a1, curve: curve(2) }),
      fixtureTrial({ number: o0, curve: curve(0.1) }),
      fixtureTrial({ number: o1, curve: curve(0.2) }),
    ]
    const t = fixtureTrial({ number: a2, curve: [3, 3, 3, 3, 3] })
    assert.equal(hb.decide(fixtureContext([...history, t]), t).action, 'prune')
    // Counting bracket 1 too, 5 trials would keep only 0.1 and cut a 1; within bracket 0, [1, 2, 1] keeps <= 1.
    const u = fixtureTrial({ number: a2, curve: [1, 1, 1, 1, 1] })
    assert.equal(hb.decide(fixtureContext([...history, u]), u).action, 'continue')
    // Bracket 1's first rung is 15: a bracket-1 trial is not judged at 5.
    const o = fixtureTrial({ number: inBracket(1)[2], curve: [9, 9, 9, 9, 9] })
    assert.equal(hb.decide(fixtureContext([...history, o]), o).action, 'continue')
  })

  test('a retry stays in the bracket of the trial it retries (retryRoot, else retryOf)', () => {
    const hb = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 }, mode: 'promotion' })
    const numbers = Array.from({ length: 60 }, (_, n) => n)
    const b2 = numbers.find((n) => hb.bracketOf(n) === 2)!
    const later = numbers.find((n) => n > b2 && hb.bracketOf(n) === 0)!
    const retry = fixtureTrial({ number: later, state: 'WAITING', systemAttrs: { retryOf: b2, retryRoot: b2 } })
    assert.equal(hb.bracketOfTrial(retry), 2)
    assert.equal(hb.initialTarget(fixtureContext([]), retry), 45)
    const secondRetry = fixtureTrial({ number: later + 1, systemAttrs: { retryOf: later, retryRoot: b2 } })
    assert.equal(hb.bracketOfTrial(secondRetry), 2)
    // Stored before retryRoot existed: one level back.
    assert.equal(hb.bracketOfTrial(fixtureTrial({ number: later, systemAttrs: { retryOf: b2 } })), 2)
    // Paused at bracket 0's first rung, the retry competes with bracket 0's trials, not with its number's bracket.
    const b0 = numbers.filter((n) => hb.bracketOf(n) === 0 && n !== later)
    const paused = [1, 2].map((v, i) => fixtureTrial({ number: b0[i], state: 'PAUSED', curve: [[5, v]] }))
    const pausedRetry = fixtureTrial({
      number: numbers.find((n) => n > later && hb.bracketOf(n) === 2)!,
      state: 'PAUSED',
      curve: [[5, 0.5]],
      systemAttrs: { retryOf: b0[2], retryRoot: b0[2] },
    })
    assert.deepEqual(hb.promotions(fixtureContext([...paused, pausedRetry])), [{ trialId: pausedRetry.id, target: 15 }])
  })

  test('promotion mode: first targets per bracket, promotions from each bracket', () => {
    const hb = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 }, mode: 'promotion' })
    const b0 = Array.from({ length: 60 }, (_, n) => n).filter((n) => hb.bracketOf(n) === 0)
    const b2 = Array.from({ length: 60 }, (_, n) => n).find((n) => hb.bracketOf(n) === 2)!
    const ctx = fixtureContext([])
    assert.equal(hb.initialTarget(ctx, fixtureTrial({ number: b0[0] })), 5)
    assert.equal(hb.initialTarget(ctx, fixtureTrial({ number: b2 })), 45)
    const paused = [3, 1, 2].map((v, i) => fixtureTrial({ number: b0[i], state: 'PAUSED', curve: [[5, v]] }))
    assert.deepEqual(hb.promotions(fixtureContext(paused)), [{ trialId: paused[1].id, target: 15 }])
  })
})
