import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TrialStateError } from '../core/errors.ts'
import type { FrozenTrial, StudyId } from '../core/trial/frozen-trial.ts'
import { type StorageContractFixture, UNIT_FLOAT } from './storage-contract-fixture.ts'

/**
 * Registers the contract cases that let many workers share one study: dense trial numbers under
 * concurrent writers, compare-and-set state changes, the atomically claimed waiting queue, change
 * tracking by version, and requeueing trials whose heartbeat went stale.
 */
export function registerCoordinationCases(fx: StorageContractFixture): void {
  const { study, running } = fx

  test('trial numbers are dense and unique under many concurrent createTrial calls', async () => {
    const s = fx.storage()
    const a = await study()
    const b = await study()
    const made = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        s.createTrial(i % 3 === 0 ? b.id : a.id, { state: i % 2 ? 'WAITING' : 'RUNNING' }),
      ),
    )
    const numbers = (id: StudyId) =>
      made
        .filter((t) => t.studyId === id)
        .map((t) => t.number)
        .sort((x, y) => x - y)
    assert.deepEqual(numbers(a.id), [...Array(40).keys()])
    assert.deepEqual(numbers(b.id), [...Array(20).keys()])
    assert.equal(new Set(made.map((t) => t.id)).size, 60)
    const listed = (await s.listTrials(a.id)).trials.map((t) => t.number)
    assert.deepEqual(listed, [...Array(40).keys()])
  })

  test('expectedState is a compare-and-set', async () => {
    const s = fx.storage()
    const st = await study()
    const t = await running(st.id)
    await assert.rejects(s.setTrialState(t.id, 'PRUNED', { expectedState: 'PAUSED' }), (e: unknown) => {
      assert.ok(e instanceof TrialStateError)
      assert.match(e.message, /RUNNING/)
      assert.match(e.message, /PAUSED/)
      return true
    })
    assert.equal((await s.getTrial(t.id)).state, 'RUNNING')
    const paused = await s.setTrialState(t.id, 'PAUSED', { expectedState: 'RUNNING', systemAttrs: { rung: 1 } })
    assert.equal(paused.state, 'PAUSED')
    assert.deepEqual(paused.systemAttrs, { rung: 1 })
    // Two workers promote the same paused trial: exactly one wins.
    const results = await Promise.allSettled([
      s.setTrialState(t.id, 'WAITING', { expectedState: 'PAUSED' }),
      s.setTrialState(t.id, 'WAITING', { expectedState: 'PAUSED' }),
    ])
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'])
  })

  test('a queued trial is withdrawn (WAITING → PRUNED) or claimed, never both', async () => {
    const s = fx.storage()
    const st = await study()
    const w = await s.createTrial(st.id, { state: 'WAITING', systemAttrs: { fixedParams: { x: 9 } } })
    const [claim, withdraw] = await Promise.allSettled([
      s.claimWaitingTrial(st.id),
      s.setTrialState(w.id, 'PRUNED', { expectedState: 'WAITING', systemAttrs: { notRun: true } }),
    ])
    const claimed = claim.status === 'fulfilled' && claim.value !== undefined
    assert.notEqual(claimed, withdraw.status === 'fulfilled', 'exactly one of the two wins')
    const after = await s.getTrial(w.id)
    assert.equal(after.state, claimed ? 'RUNNING' : 'PRUNED')
    if (!claimed) {
      assert.equal(after.startedAt, null)
      assert.equal(after.systemAttrs.notRun, true)
      assert.equal(await s.claimWaitingTrial(st.id), undefined, 'a withdrawn trial is not claimed')
    }
  })

  test('claimWaitingTrial hands each waiting trial to exactly one of many concurrent callers, oldest first', async () => {
    const s = fx.storage()
    const st = await study()
    await running(st.id)
    const waiting: FrozenTrial[] = []
    for (let i = 0; i < 8; i++) waiting.push(await s.createTrial(st.id, { state: 'WAITING', systemAttrs: { i } }))
    const first = await s.claimWaitingTrial(st.id)
    assert.equal(first?.id, waiting[0].id, 'the oldest waiting trial goes first')
    assert.equal(first?.state, 'RUNNING')
    assert.ok(first?.startedAt !== null)
    const claims = await Promise.all(Array.from({ length: 20 }, () => s.claimWaitingTrial(st.id)))
    const got = claims.filter((c) => c !== undefined)
    assert.equal(got.length, 7)
    assert.deepEqual(new Set(got.map((c) => c.id)), new Set(waiting.slice(1).map((w) => w.id)))
    assert.equal(await s.claimWaitingTrial(st.id), undefined)
  })

  test('every write bumps the version; sinceVersion returns exactly the changed trials', async () => {
    const s = fx.storage()
    const st = await study()
    const ts: FrozenTrial[] = []
    for (let i = 0; i < 6; i++) ts.push(await running(st.id))
    const all = await s.listTrials(st.id)
    assert.equal(all.trials.length, 6)
    assert.equal(all.version, Math.max(...all.trials.map((t) => t.version)))
    assert.deepEqual((await s.listTrials(st.id, { sinceVersion: all.version })).trials, [])
    await s.setTrialParams(ts[4].id, { x: 0.1 }, { x: UNIT_FLOAT })
    await s.reportIntermediate(ts[1].id, 3, 0.7)
    const after1 = await s.listTrials(st.id, { sinceVersion: all.version })
    assert.deepEqual(
      after1.trials.map((t) => t.number),
      [1, 4],
    )
    assert.ok(after1.version > all.version)
    assert.deepEqual(after1.trials[0].intermediate, [{ step: 3, value: 0.7 }])
    const v = after1.version
    const writes: Array<[number, () => Promise<unknown>]> = [
      [0, () => s.setTrialAttrs(ts[0].id, 'user', { k: 1 })],
      [2, () => s.heartbeat(ts[2].id)],
      [3, () => s.setTrialState(ts[3].id, 'PRUNED')],
      [6, () => s.createTrial(st.id, { state: 'WAITING' })],
    ]
    let last = v
    for (const [n, write] of writes) {
      await write()
      const ch = await s.listTrials(st.id, { sinceVersion: last })
      assert.deepEqual(
        ch.trials.map((t) => t.number),
        [n],
        `write to trial #${n}`,
      )
      assert.ok(ch.version > last)
      assert.equal(ch.trials[0].version, ch.version)
      last = ch.version
    }
    const since = await s.listTrials(st.id, { sinceVersion: v, states: ['RUNNING', 'WAITING'] })
    assert.deepEqual(
      since.trials.map((t) => t.number),
      [0, 2, 6],
    )
  })

  test('requeueStaleTrials requeues only stale RUNNING trials and keeps their params, values and attrs', async () => {
    const s = fx.storage()
    const st = await study()
    const stale = await running(st.id)
    await s.setTrialParams(stale.id, { x: 0.3 }, { x: UNIT_FLOAT })
    await s.reportIntermediate(stale.id, 1, 0.9)
    await s.setTrialAttrs(stale.id, 'system', { checkpoint: '/ckpt/1' })
    const done = await running(st.id)
    await s.setTrialState(done.id, 'COMPLETE', { values: [0] })
    await new Promise((r) => setTimeout(r, 30))
    const cutoff = Date.now()
    await new Promise((r) => setTimeout(r, 30))
    const fresh = await running(st.id)
    const beating = await running(st.id)
    await s.heartbeat(beating.id)
    const requeued = await s.requeueStaleTrials(st.id, cutoff)
    assert.deepEqual(
      requeued.map((t) => t.id),
      [stale.id],
    )
    const back = await s.getTrial(stale.id)
    assert.equal(back.state, 'WAITING')
    assert.deepEqual(back.params, { x: 0.3 })
    assert.deepEqual(back.intermediate, [{ step: 1, value: 0.9 }])
    assert.deepEqual(back.systemAttrs, { checkpoint: '/ckpt/1' })
    assert.equal((await s.getTrial(fresh.id)).state, 'RUNNING')
    assert.ok((await s.getTrial(beating.id)).heartbeatAt !== null)
    const claimed = await s.claimWaitingTrial(st.id)
    assert.equal(claimed?.id, stale.id)
    assert.deepEqual(claimed?.params, { x: 0.3 })
  })
}
