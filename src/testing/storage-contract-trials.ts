import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Distribution } from '../core/distributions/distribution.ts'
import { TrialStateError, WinnowError } from '../core/errors.ts'
import type { Direction, TrialId } from '../core/trial/frozen-trial.ts'
import { SMALL_INT, type StorageContractFixture, UNIT_FLOAT } from './storage-contract-fixture.ts'

/**
 * Registers the contract cases about one trial's record: immutable snapshots, the state machine and its
 * errors, objective values, intermediate values, parameter merging, missing ids, and a full round trip.
 */
export function registerTrialCases(fx: StorageContractFixture): void {
  const { study, running } = fx

  test('snapshots are immutable and never alias stored state or caller input', async () => {
    const s = fx.storage()
    const st = await study()
    const attrs = { tags: ['a'] }
    const t = await s.createTrial(st.id, { userAttrs: attrs, params: { x: 0.5 }, distributions: { x: UNIT_FLOAT } })
    attrs.tags.push('changed by caller')
    const tryMutate = (f: () => void) => {
      try {
        f()
      } catch {
        // a frozen object throws in strict mode; either way nothing stored may change
      }
    }
    tryMutate(() => {
      ;(t.params as Record<string, unknown>).x = 99
    })
    tryMutate(() => {
      ;(t.userAttrs.tags as string[]).push('x')
    })
    tryMutate(() => {
      ;(t as { state: string }).state = 'COMPLETE'
    })
    const again = await s.getTrial(t.id)
    assert.deepEqual(again.params, { x: 0.5 })
    assert.deepEqual(again.userAttrs, { tags: ['a'] })
    assert.equal(again.state, 'RUNNING')
    await s.setTrialState(t.id, 'COMPLETE', { values: [3] })
    assert.equal(again.state, 'RUNNING', 'a snapshot taken earlier does not follow later writes')
    const info = await s.getStudy(st.id)
    tryMutate(() => {
      ;(info.directions as Direction[]).push('maximize')
    })
    assert.deepEqual((await s.getStudy(st.id)).directions, ['minimize'])
  })

  test('finished trials are immutable and illegal transitions name the trial and both states', async () => {
    const s = fx.storage()
    const st = await study()
    const t = await running(st.id)
    await s.setTrialState(t.id, 'COMPLETE', { values: [1] })
    const isStateError =
      (from: string, to: string, number = t.number) =>
      (e: unknown) => {
        assert.ok(e instanceof TrialStateError, String(e))
        assert.match(e.message, new RegExp(`#${number}\\b.*${from}.*${to}`))
        return true
      }
    await assert.rejects(s.setTrialState(t.id, 'FAIL'), isStateError('COMPLETE', 'FAIL'))
    await assert.rejects(s.setTrialState(t.id, 'RUNNING'), isStateError('COMPLETE', 'RUNNING'))
    await assert.rejects(s.setTrialParams(t.id, { y: 1 }, { y: SMALL_INT }), TrialStateError)
    await assert.rejects(s.setTrialAttrs(t.id, 'user', { a: 1 }), TrialStateError)
    await assert.rejects(s.reportIntermediate(t.id, 5, 0.1), TrialStateError)
    const w = await s.createTrial(st.id, { state: 'WAITING' })
    await assert.rejects(
      s.setTrialState(w.id, 'COMPLETE', { values: [1] }),
      isStateError('WAITING', 'COMPLETE', w.number),
    )
    const final = await s.getTrial(t.id)
    assert.equal(final.state, 'COMPLETE')
    assert.deepEqual(final.values, [1])
    assert.deepEqual(final.intermediate, [])
    assert.ok(final.finishedAt !== null && final.startedAt !== null)
  })

  test('COMPLETE needs one finite value per direction; other states take no values', async () => {
    const s = fx.storage()
    const st = await study(['minimize', 'maximize'])
    const t = await running(st.id)
    const invalid = (e: WinnowError) => e.code === 'invalid_value'
    await assert.rejects(s.setTrialState(t.id, 'COMPLETE'), invalid)
    await assert.rejects(s.setTrialState(t.id, 'COMPLETE', { values: [1] }), invalid)
    await assert.rejects(s.setTrialState(t.id, 'COMPLETE', { values: [1, Number.NaN] }), invalid)
    await assert.rejects(s.setTrialState(t.id, 'COMPLETE', { values: [Number.POSITIVE_INFINITY, 1] }), invalid)
    await assert.rejects(s.setTrialState(t.id, 'FAIL', { values: [1, 2] }), invalid)
    assert.equal((await s.getTrial(t.id)).state, 'RUNNING')
    const done = await s.setTrialState(t.id, 'COMPLETE', { values: [0.25, -1e-300] })
    assert.deepEqual(done.values, [0.25, -1e-300])
    assert.deepEqual((await s.getTrial(t.id)).values, [0.25, -1e-300])
  })

  test('reporting the same step again replaces the value; values are sorted by step', async () => {
    const s = fx.storage()
    const st = await study()
    const t = await running(st.id)
    await s.reportIntermediate(t.id, 10, 0.5)
    await s.reportIntermediate(t.id, 2, 0.9)
    await s.reportIntermediate(t.id, 10, 0.4)
    await s.reportIntermediate(t.id, 5, Number.POSITIVE_INFINITY)
    await s.reportIntermediate(t.id, 7, Number.NaN)
    const got = (await s.getTrial(t.id)).intermediate
    assert.deepEqual(got, [
      { step: 2, value: 0.9 },
      { step: 5, value: Number.POSITIVE_INFINITY },
      { step: 7, value: Number.NaN },
      { step: 10, value: 0.4 },
    ])
  })

  test('setTrialParams merges; re-setting to a different value or distribution is an error', async () => {
    const s = fx.storage()
    const st = await study()
    const t = await running(st.id)
    await s.setTrialParams(t.id, { x: 0.25 }, { x: UNIT_FLOAT })
    await s.setTrialParams(
      t.id,
      { x: 0.25, n: 3, c: 'adam' },
      { x: UNIT_FLOAT, n: SMALL_INT, c: { kind: 'categorical', choices: ['adam', 'sgd'] } },
    )
    const conflict = (e: WinnowError) => e.code === 'invalid_value' && /"x"/.test(e.message) && /0\.25/.test(e.message)
    await assert.rejects(s.setTrialParams(t.id, { x: 0.5 }, { x: UNIT_FLOAT }), conflict)
    await assert.rejects(
      s.setTrialParams(t.id, { x: 0.25 }, { x: { kind: 'float', low: 0, high: 2, log: false } }),
      (e: WinnowError) => e.code === 'invalid_value',
    )
    const got = await s.getTrial(t.id)
    assert.deepEqual(got.params, { x: 0.25, n: 3, c: 'adam' })
    assert.deepEqual(got.distributions.n, SMALL_INT)
    assert.deepEqual(got.distributions.x, UNIT_FLOAT)
  })

  test('a missing trial id fails with trial_not_found', async () => {
    const s = fx.storage()
    const missing = 987654321 as TrialId
    const notFound = (e: unknown) =>
      e instanceof WinnowError && e.code === 'trial_not_found' && /987654321/.test(e.message)
    await assert.rejects(s.getTrial(missing), notFound)
    await assert.rejects(s.setTrialState(missing, 'FAIL'), notFound)
    await assert.rejects(s.setTrialParams(missing, { x: 0.1 }, { x: UNIT_FLOAT }), notFound)
    await assert.rejects(s.reportIntermediate(missing, 1, 1), notFound)
  })

  test('a trial round-trips every field', async () => {
    const s = fx.storage()
    const st = await study()
    const c: Distribution = { kind: 'categorical', choices: [null, true, 'a', 2.5] }
    const t = await s.createTrial(st.id, {
      state: 'WAITING',
      params: { c: null, n: 4 },
      distributions: { c, n: SMALL_INT },
      userAttrs: { note: 'ünïcode ✓', nested: { a: [1, null, false] } },
      systemAttrs: { fixedParams: { lr: 1e-4 } },
    })
    assert.equal(t.state, 'WAITING')
    assert.equal(t.startedAt, null)
    assert.equal(t.values, null)
    assert.ok(Math.abs(t.createdAt - Date.now()) < 60_000)
    const got = await s.getTrial(t.id)
    assert.deepEqual(got, t)
    assert.deepEqual((await s.listTrials(st.id)).trials, [t])
  })
}
