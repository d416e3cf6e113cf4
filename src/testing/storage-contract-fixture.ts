import type { Distribution } from '../core/distributions/distribution.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import type { Direction, FrozenTrial, StudyId } from '../core/trial/frozen-trial.ts'

/** A float parameter on [0, 1], the contract's default distribution. */
export const UNIT_FLOAT: Distribution = { kind: 'float', low: 0, high: 1, log: false }

/** An int parameter on 1..8, for cases that need a second distribution. */
export const SMALL_INT: Distribution = { kind: 'int', low: 1, high: 8, log: false, step: 1 }

let seq = 0

/**
 * Returns a study name no other contract test uses (a counter plus the clock), so backends that share
 * one database between tests, or between runs, stay isolated.
 */
export function uniqueStudyName(prefix: string): string {
  return `${prefix}-${Date.now()}-${seq++}`
}

/**
 * What each contract case gets from `describeStorageContract`: the storage of the running test and
 * helpers that make studies and trials in it. Read `storage()` inside the test, not when registering:
 * every test gets a fresh storage.
 */
export interface StorageContractFixture {
  /** The storage under test for the running test. */
  readonly storage: () => Storage
  /** Creates a study with a unique name in the current storage. @default directions ['minimize'] */
  readonly study: (directions?: Direction[]) => Promise<StudyInfo>
  /** Creates a RUNNING trial of the study. */
  readonly running: (id: StudyId) => Promise<FrozenTrial>
}
