import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Distribution } from '../../core/distributions/distribution.ts'
import { TrialStateError, type WinnowError } from '../../core/errors.ts'
import type { Storage } from '../../core/storage.ts'

const X: Distribution = { kind: 'float', low: 0, high: 1, log: false }

/**
 * Tests for two storage instances (two workers) writing the same trials of one SQL database: each
 * instance remembers the trials it wrote (KnownTrials), and a write planned on a copy the other worker
 * has since changed must be redone from a fresh read, never applied blindly or refused wrongly.
 */
export function describeTwoWriters(
  name: string,
  open: () => Promise<[Storage, Storage]>,
  skip?: boolean | string,
): void {
  describe(`two writers on one database: ${name}`, { skip }, () => {
    test('a write after the other worker changed the trial applies to the current trial', async () => {
      const [a, b] = await open()
      const { study } = await a.createStudy({ name: `two-${Date.now()}`, directions: ['minimize'] })
      const t = await a.createTrial(study.id)
      await b.setTrialParams(t.id, { x: 0.5 }, { x: X })
      await b.reportIntermediate(t.id, 1, 0.9)
      await assert.rejects(a.setTrialParams(t.id, { x: 0.7 }, { x: X }), (e: WinnowError) => e.code === 'invalid_value')
      const done = await a.setTrialState(t.id, 'COMPLETE', { values: [0.1], systemAttrs: { by: 'a' } })
      assert.deepEqual(done.params, { x: 0.5 })
      assert.deepEqual(done.intermediate, [{ step: 1, value: 0.9 }])
      assert.deepEqual(await b.getTrial(t.id), done)
      await a.close()
      await b.close()
    })

    test('a write the other worker made illegal is refused; one it made legal is applied', async () => {
      const [a, b] = await open()
      const { study } = await a.createStudy({ name: `two-${Date.now()}-b`, directions: ['minimize'] })
      const t = await a.createTrial(study.id)
      await b.setTrialState(t.id, 'PRUNED')
      await assert.rejects(a.setTrialState(t.id, 'COMPLETE', { values: [1] }), TrialStateError)
      await assert.rejects(a.setTrialAttrs(t.id, 'user', { k: 1 }), TrialStateError)
      const u = await a.createTrial(study.id)
      await a.setTrialState(u.id, 'PAUSED')
      await b.setTrialState(u.id, 'WAITING') // promoted by the other worker
      assert.equal((await b.claimWaitingTrial(study.id))?.id, u.id)
      await a.heartbeat(u.id) // a's copy says PAUSED; the trial is RUNNING again, so the beat counts
      assert.ok((await b.getTrial(u.id)).heartbeatAt !== null)
      await a.close()
      await b.close()
    })
  })
}
