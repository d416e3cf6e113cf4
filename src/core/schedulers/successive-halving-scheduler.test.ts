import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TrialId } from '../trial/frozen-trial.ts'
import { resolveResource, rungResources } from './resource.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

const resource = { kind: 'steps' as const, min: 1, max: 9, reductionFactor: 3 }
const id = (n: number) => (n + 1000) as TrialId

describe('rung resources', () => {
  test('min·η^k below max', () => {
    assert.deepEqual(rungResources(resolveResource('t', resource)), [1, 3])
    assert.deepEqual(rungResources(resolveResource('t', { min: 5, max: 100, reductionFactor: 4 })), [5, 20, 80])
    assert.deepEqual(rungResources(resolveResource('t', { min: 5, max: 100, reductionFactor: 3 }), 1), [15, 45])
    assert.deepEqual(
      rungResources(resolveResource('t', { kind: 'data_fraction', min: 0.1, max: 1, reductionFactor: 3 })),
      [0.1, 0.3, 0.9],
    )
  })

  test('bad resources are rejected with the field named', () => {
    assert.throws(
      () => new SuccessiveHalvingScheduler({ resource: { min: 5, max: 1 } }),
      /resource.min must not exceed resource.max/,
    )
    assert.throws(
      () => new SuccessiveHalvingScheduler({ resource: { min: 1, max: 9, reductionFactor: 1 } }),
      /reductionFactor/,
    )
    assert.throws(
      () => new SuccessiveHalvingScheduler({ resource: { kind: 'data_fraction', min: 0.1, max: 2 } }),
      /<= 1/,
    )
    assert.throws(() => new SuccessiveHalvingScheduler({ resource, mode: 'x' as 'stopping' }), /option mode/)
  })
})

describe('SuccessiveHalvingScheduler, stopping mode', () => {
  const s = new SuccessiveHalvingScheduler({ resource })
  // Rung 0 (step 1) values so far: 5 (#0), 3 (#1).
  const history = [fixtureTrial({ number: 0, curve: [5] }), fixtureTrial({ number: 1, curve: [3] })]

  test('keeps the top 1/η at a rung, and everyone while fewer than η trials compete', () => {
    const first = fixtureTrial({ number: 0, curve: [5] })
    assert.equal(s.decide(fixtureContext([first]), first).action, 'continue')
    // [5, 3, 4]: floor(3/3) = 1 survivor → only values <= 3 continue.
    const t4 = fixtureTrial({ number: 2, curve: [4] })
    assert.equal(s.decide(fixtureContext([...history, t4]), t4).action, 'prune')
    const tie = fixtureTrial({ number: 2, curve: [3] })
    assert.equal(s.decide(fixtureContext([...history, tie]), tie).action, 'continue')
  })

  test('judges only when a rung is crossed, and every rung a sparse report skips', () => {
    const between = fixtureTrial({ number: 2, curve: [3, 100] })
    assert.equal(s.decide(fixtureContext([...history, between]), between).action, 'continue')
    const rung1 = [fixtureTrial({ number: 0, curve: [5, 5, 5] }), fixtureTrial({ number: 1, curve: [3, 3, 1] })]
    // A report at 0.5 then at 4 crosses rungs 1 and 3: at rung 1 the values are [5, 3, 2] (passes), at rung 3
    // [5, 1, 2] → keep <= 1 → cut there.
    const sparse = fixtureTrial({
      number: 2,
      curve: [
        [0.5, 9],
        [4, 2],
      ],
    })
    const d = s.decide(fixtureContext([...rung1, sparse]), sparse)
    assert.equal(d.action, 'prune')
    assert.match((d as { reason: string }).reason, /rung 1 \(3\)/)
  })

  test('never prunes a report at full fidelity, even when it crosses the top rung (fractions 0.1, 0.3, 1)', () => {
    const fractions = new SuccessiveHalvingScheduler({
      resource: { kind: 'data_fraction', min: 0.1, max: 1, reductionFactor: 3 },
    })
    // Rungs 0.1, 0.3, 0.9; two trials already judged at 0.9 with good values.
    const good = [0, 1].map((n) =>
      fixtureTrial({
        number: n,
        curve: [
          [0.1, 1],
          [0.3, 1],
          [0.9, 1],
        ],
      }),
    )
    const late = fixtureTrial({
      number: 2,
      curve: [
        [0.1, 1],
        [0.3, 1],
        [1, 5],
      ],
    })
    assert.equal(fractions.decide(fixtureContext([...good, late]), late).action, 'continue')
    const atTopRung = fixtureTrial({
      number: 2,
      curve: [
        [0.1, 1],
        [0.3, 1],
        [0.95, 5],
      ],
    })
    assert.equal(fractions.decide(fixtureContext([...good, atTopRung]), atTopRung).action, 'prune')
  })

  test('maximisation keeps the largest values', () => {
    const t = fixtureTrial({ number: 2, curve: [4] })
    assert.equal(s.decide(fixtureContext([...history, t], 'maximize'), t).action, 'prune')
    const best = fixtureTrial({ number: 2, curve: [6] })
    assert.equal(s.decide(fixtureContext([...history, best], 'maximize'), best).action, 'continue')
  })

  test('NaN prunes at a rung; no pause and no promotions in stopping mode', () => {
    const nan = fixtureTrial({ number: 2, curve: [Number.NaN] })
    assert.equal(s.decide(fixtureContext([nan]), nan).action, 'prune')
    assert.deepEqual(s.promotions(fixtureContext(history)), [])
    assert.equal(s.initialTarget(), undefined)
  })
})

describe('SuccessiveHalvingScheduler, promotion mode', () => {
  const s = new SuccessiveHalvingScheduler({ resource, mode: 'promotion' })
  const paused = (n: number, v: number) => fixtureTrial({ number: n, state: 'PAUSED', curve: [v] })
  const rung0 = [5, 1, 4, 2, 6, 3].map((v, n) => paused(n, v))

  test('new trials target the first rung and pause there', () => {
    assert.equal(s.initialTarget(), 1)
    const t = fixtureTrial({ number: 0, curve: [2] })
    assert.deepEqual(
      { ...s.decide(fixtureContext([t]), t), reason: undefined },
      { action: 'pause', rung: 0, reason: undefined },
    )
    const resumed = fixtureTrial({ number: 0, curve: [2, 1.5], systemAttrs: { target: 3 } })
    assert.equal(s.decide(fixtureContext([resumed]), resumed).action, 'continue')
    const atRung1 = fixtureTrial({ number: 0, curve: [2, 1.5, 1.2], systemAttrs: { target: 3 } })
    assert.equal((s.decide(fixtureContext([atRung1]), atRung1) as { rung: number }).rung, 1)
    const final = fixtureTrial({ number: 0, curve: [2, 1.5, 1.2, 1.1], systemAttrs: { target: 9 } })
    assert.equal(s.decide(fixtureContext([final]), final).action, 'continue')
  })

  test('promotes the top floor(n/η) of a rung, best first, to the next rung', () => {
    assert.deepEqual(s.promotions(fixtureContext(rung0)), [
      { trialId: id(1), target: 3 },
      { trialId: id(3), target: 3 },
    ])
  })

  test('never promotes a trial twice and never overfills a rung', () => {
    // #1 was promoted (the runner set WAITING and target 3): only #3 remains to promote.
    const afterOne = rung0.map((t) =>
      t.number === 1 ? { ...t, state: 'WAITING' as const, systemAttrs: { target: 3 } } : t,
    )
    assert.deepEqual(s.promotions(fixtureContext(afterOne)), [{ trialId: id(3), target: 3 }])
    // Both promoted; a new, better trial arrives: 7 trials → quota 2, both used → nothing.
    const afterTwo = afterOne.map((t) =>
      t.number === 3 ? { ...t, state: 'RUNNING' as const, systemAttrs: { target: 3 } } : t,
    )
    const seven = [...afterTwo, paused(6, 0.5)]
    assert.deepEqual(s.promotions(fixtureContext(seven)), [])
    // Two more trials: 9 → quota 3, one slot → the new best.
    const nine = [...seven, paused(7, 8), paused(8, 9)]
    assert.deepEqual(s.promotions(fixtureContext(nine)), [{ trialId: id(6), target: 3 }])
  })

  test('higher rungs first; the last rung promotes to full fidelity', () => {
    const up = [
      fixtureTrial({ number: 0, state: 'PAUSED', curve: [1, 1, 0.7], systemAttrs: { target: 3 } }),
      fixtureTrial({ number: 1, state: 'PAUSED', curve: [1, 1, 0.9], systemAttrs: { target: 3 } }),
      fixtureTrial({ number: 2, state: 'PAUSED', curve: [1, 1, 0.8], systemAttrs: { target: 3 } }),
      ...[5, 6, 7, 8, 9, 4, 3, 2, 1.5].map((v, i) => paused(i + 3, v)),
    ]
    // Rung 1: 3 trials → quota 1 → #0 to 9. Rung 0: 12 reached → quota 4, 3 used (#0-#2) → 1 slot → #11 (1.5).
    assert.deepEqual(s.promotions(fixtureContext(up)), [
      { trialId: id(0), target: 9 },
      { trialId: id(11), target: 3 },
    ])
  })

  test('promotions depend only on the history, not its order', () => {
    assert.deepEqual(s.promotions(fixtureContext([...rung0].reverse())), s.promotions(fixtureContext(rung0)))
  })
})
