import { after, afterEach, beforeEach, describe } from 'node:test'
import type { Storage } from '../core/storage.ts'
import type { Direction, StudyId } from '../core/trial/frozen-trial.ts'
import { registerCoordinationCases } from './storage-contract-coordination.ts'
import { type StorageContractFixture, uniqueStudyName } from './storage-contract-fixture.ts'
import { registerStudyCases } from './storage-contract-studies.ts'
import { registerTrialCases } from './storage-contract-trials.ts'

/** How the contract suite gets a storage to test. */
export interface StorageContractOptions {
  /** Returns a fresh (or at least isolated-enough) storage; called before every test and closed after it. */
  readonly create: () => Promise<Storage>
  /** Skips the whole suite; a string is printed as the reason. */
  readonly skip?: boolean | string
}

/**
 * Registers one node:test per invariant of the `Storage` interface (src/core/storage.ts) against the
 * storage `opts.create` returns. Every backend runs the same suite, as Optuna's `StorageTestCase` does.
 * Study names are unique per test, so backends that share one database between tests stay isolated.
 * The cases live by subject in storage-contract-{studies,trials,coordination}.ts.
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
    const fx: StorageContractFixture = {
      storage: () => s,
      study: async (directions: Direction[] = ['minimize']) =>
        (await s.createStudy({ name: uniqueStudyName(`contract-${process.pid}`), directions })).study,
      running: async (id: StudyId) => s.createTrial(id, { state: 'RUNNING' }),
    }
    registerStudyCases(fx)
    registerTrialCases(fx)
    registerCoordinationCases(fx)
  })
}
