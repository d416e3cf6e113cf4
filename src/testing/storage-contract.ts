import assert from 'node:assert/strict'
import { after, afterEach, beforeEach, describe, test } from 'node:test'
import type { Distribution } from '../core/distributions/distribution.ts'
import { StudyExistsError, StudyNotFoundError, TrialStateError, WinnowError } from '../core/errors.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import type { Direction, FrozenTrial, StudyId, TrialId } from '../core/trial/frozen-trial.ts'

/** How the contract suite gets a storage to test. */
export interface StorageContractOptions {
  /** Returns a fresh (or at least isolated-enough) storage; called before every test and closed after it. */
  readonly create: () => Promise<Storage>
  /** Skips the whole suite; a string is printed as the reason. */
  readonly skip?: boolean | string
}

const X: Distribution = { kind: 'float', low: 0, high: 1, log: false }
const N: Distribution = { kind: 'int', low: 1, high: 8, log: false, step: 1 }
let seq = 0

/**
 * Registers one node:test per invariant of the `Storage` interface (src/core/storage.ts) against the
 * storage `opts.create` returns. Every backend runs the same suite, as Optuna's `StorageTestCase` does.
 * Study names are unique per test, so backends that share one database between tests stay isolated.
 */
export function describeStorageContract(name: string, opts: StorageContractOptions): void {
  describe(`Storage contract: ${name}`, { skip: opts.skip }, () => {
    let s: Storage
    const open: Storage[] = []
    beforeEach(async () => {
      s = await opts.create()
      open.push(s)
    })
    afterEach(async () => {
      await s.close()
    })
    after(async () => {
      for (const o of open) await o.close() // close is idempotent; this catches a failed afterEach
    })
    const study = async (directions: Direction[] = ['minimize']): Promise<StudyInfo> =>
      (await s.createStudy({ name: `contract-${process.pid}-${Date.now()}-${seq++}`, directions })).study
    const running = async (id: StudyId) => s.createTrial(id, { state: 'RUNNING' })

    test('a study round-trips and its name is unique (StudyExistsError, loadIfExists)', async () => {
      const spec = { name: `unique-${Date.now()}-${seq++}`, directions: ['maximize', 'minimize'] as Direction[] }
      const a = await s.createStudy({ ...spec, metricNames: ['acc', 'cost'], userAttrs: { owner: 'me' } })
      assert.equal(a.created, true)
      assert.deepEqual(a.study.directions, ['maximize', 'minimize'])
      assert.deepEqual(a.study.metricNames, ['acc', 'cost'])
      assert.deepEqual(await s.getStudy(a.study.id), a.study)
      assert.deepEqual(await s.findStudy(spec.name), a.study)
      assert.equal(await s.findStudy(`${spec.name}-missing`), undefined)
      await assert.rejects(s.createStudy(spec), StudyExistsError)
      const b = await s.createStudy(spec, { loadIfExists: true })
      assert.equal(b.created, false)
      assert.equal(b.study.id, a.study.id)
    })

    test('a missing study id fails with study_not_found', async () => {
      await assert.rejects(s.getStudy(987654321 as StudyId), (e: unknown) => e instanceof StudyNotFoundError)
      await assert.rejects(s.createTrial(987654321 as StudyId), (e: WinnowError) => e.code === 'study_not_found')
    })

    test('setStudyAttrs merges user and system attributes', async () => {
      const st = await study()
      await s.setStudyAttrs(st.id, 'user', { a: 1, b: { c: [1, 2] } })
      await s.setStudyAttrs(st.id, 'user', { a: 2 })
      await s.setStudyAttrs(st.id, 'system', { seed: 7 })
      const got = await s.getStudy(st.id)
      assert.deepEqual(got.userAttrs, { a: 2, b: { c: [1, 2] } })
      assert.deepEqual(got.systemAttrs, { seed: 7 })
    })

    test('listStudies counts trials per state, oldest study first', async () => {
      const a = await study()
      const b = await study()
      const t0 = await running(a.id)
      await running(a.id)
      await s.createTrial(a.id, { state: 'WAITING' })
      await s.setTrialState(t0.id, 'COMPLETE', { values: [1] })
      const mine = (await s.listStudies()).filter((x) => x.id === a.id || x.id === b.id)
      assert.deepEqual(
        mine.map((x) => x.id),
        [a.id, b.id],
      )
      assert.deepEqual(mine[0].counts, { WAITING: 1, RUNNING: 1, PAUSED: 0, COMPLETE: 1, PRUNED: 0, FAIL: 0 })
      assert.deepEqual(mine[1].counts, { WAITING: 0, RUNNING: 0, PAUSED: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0 })
    })

    test('deleteStudy removes the study and its trials; ids are not reused', async () => {
      const st = await study()
      const t = await running(st.id)
      await s.reportIntermediate(t.id, 1, 0.5)
      await s.deleteStudy(st.id)
      assert.equal(await s.findStudy(st.name), undefined)
      await assert.rejects(s.getTrial(t.id), (e: WinnowError) => e.code === 'trial_not_found')
      const again = await s.createStudy({ name: st.name, directions: ['minimize'] })
      assert.notEqual(again.study.id, st.id)
      const t2 = await running(again.study.id)
      assert.equal(t2.number, 0)
      assert.notEqual(t2.id, t.id)
    })

    test('trial numbers are dense and unique under many concurrent createTrial calls', async () => {
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

    test('snapshots are immutable and never alias stored state or caller input', async () => {
      const st = await study()
      const attrs = { tags: ['a'] }
      const t = await s.createTrial(st.id, { userAttrs: attrs, params: { x: 0.5 }, distributions: { x: X } })
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
      await assert.rejects(s.setTrialParams(t.id, { y: 1 }, { y: N }), TrialStateError)
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

    test('expectedState is a compare-and-set', async () => {
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

    test('COMPLETE needs one finite value per direction; other states take no values', async () => {
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

    test('claimWaitingTrial hands each waiting trial to exactly one of many concurrent callers, oldest first', async () => {
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
      const st = await study()
      const ts: FrozenTrial[] = []
      for (let i = 0; i < 6; i++) ts.push(await running(st.id))
      const all = await s.listTrials(st.id)
      assert.equal(all.trials.length, 6)
      assert.equal(all.version, Math.max(...all.trials.map((t) => t.version)))
      assert.deepEqual((await s.listTrials(st.id, { sinceVersion: all.version })).trials, [])
      await s.setTrialParams(ts[4].id, { x: 0.1 }, { x: X })
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

    test('reporting the same step again replaces the value; values are sorted by step', async () => {
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
      const st = await study()
      const t = await running(st.id)
      await s.setTrialParams(t.id, { x: 0.25 }, { x: X })
      await s.setTrialParams(
        t.id,
        { x: 0.25, n: 3, c: 'adam' },
        { x: X, n: N, c: { kind: 'categorical', choices: ['adam', 'sgd'] } },
      )
      const conflict = (e: WinnowError) =>
        e.code === 'invalid_value' && /"x"/.test(e.message) && /0\.25/.test(e.message)
      await assert.rejects(s.setTrialParams(t.id, { x: 0.5 }, { x: X }), conflict)
      await assert.rejects(
        s.setTrialParams(t.id, { x: 0.25 }, { x: { kind: 'float', low: 0, high: 2, log: false } }),
        (e: WinnowError) => e.code === 'invalid_value',
      )
      const got = await s.getTrial(t.id)
      assert.deepEqual(got.params, { x: 0.25, n: 3, c: 'adam' })
      assert.deepEqual(got.distributions.n, N)
      assert.deepEqual(got.distributions.x, X)
    })

    test('requeueStaleTrials requeues only stale RUNNING trials and keeps their params, values and attrs', async () => {
      const st = await study()
      const stale = await running(st.id)
      await s.setTrialParams(stale.id, { x: 0.3 }, { x: X })
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

    test('a missing trial id fails with trial_not_found', async () => {
      const missing = 987654321 as TrialId
      const notFound = (e: unknown) =>
        e instanceof WinnowError && e.code === 'trial_not_found' && /987654321/.test(e.message)
      await assert.rejects(s.getTrial(missing), notFound)
      await assert.rejects(s.setTrialState(missing, 'FAIL'), notFound)
      await assert.rejects(s.setTrialParams(missing, { x: 0.1 }, { x: X }), notFound)
      await assert.rejects(s.reportIntermediate(missing, 1, 1), notFound)
    })

    test('a trial round-trips every field', async () => {
      const st = await study()
      const c: Distribution = { kind: 'categorical', choices: [null, true, 'a', 2.5] }
      const t = await s.createTrial(st.id, {
        state: 'WAITING',
        params: { c: null, n: 4 },
        distributions: { c, n: N },
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
  })
}
