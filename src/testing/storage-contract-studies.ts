import assert from 'node:assert/strict'
import { test } from 'node:test'
import { StudyExistsError, StudyNotFoundError, type WinnowError } from '../core/errors.ts'
import type { Direction, StudyId } from '../core/trial/frozen-trial.ts'
import { type StorageContractFixture, uniqueStudyName } from './storage-contract-fixture.ts'

/**
 * Registers the contract cases about studies: creation and unique names, lookup by id and name, study
 * attributes, listing with per-state trial counts, and deletion.
 */
export function registerStudyCases(fx: StorageContractFixture): void {
  const { study, running } = fx

  test('a study round-trips and its name is unique (StudyExistsError, loadIfExists)', async () => {
    const s = fx.storage()
    const spec = { name: uniqueStudyName('unique'), directions: ['maximize', 'minimize'] as Direction[] }
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
    const s = fx.storage()
    await assert.rejects(s.getStudy(987654321 as StudyId), (e: unknown) => e instanceof StudyNotFoundError)
    await assert.rejects(s.createTrial(987654321 as StudyId), (e: WinnowError) => e.code === 'study_not_found')
  })

  test('setStudyAttrs merges user and system attributes', async () => {
    const s = fx.storage()
    const st = await study()
    await s.setStudyAttrs(st.id, 'user', { a: 1, b: { c: [1, 2] } })
    await s.setStudyAttrs(st.id, 'user', { a: 2 })
    await s.setStudyAttrs(st.id, 'system', { seed: 7 })
    const got = await s.getStudy(st.id)
    assert.deepEqual(got.userAttrs, { a: 2, b: { c: [1, 2] } })
    assert.deepEqual(got.systemAttrs, { seed: 7 })
  })

  test('listStudies counts trials per state, oldest study first', async () => {
    const s = fx.storage()
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
    const s = fx.storage()
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
}
