import { type FrozenTrial, type StudyId, type TrialId, trialLabel } from '../../core/trial/frozen-trial.ts'
import { trialNotFound } from '../trial-rules.ts'
import type { KnownTrials } from './known-trials.ts'
import type { SqlDriver } from './sql-driver.ts'
import { readTrialRow, type TrialWithStudy, toFrozenTrial } from './trial-rows.ts'
import { casUpdateTrial, type TrialPatch } from './trial-writes.ts'

/**
 * Decides one single-trial write from the trial as read (with its study's name and directions) and the
 * trial's label for messages: returns the columns to change, undefined when there is nothing to write,
 * or throws when the write is refused (a finished trial, a parameter conflict, an illegal transition).
 */
export type PlanTrialChange = (row: TrialWithStudy, label: string) => TrialPatch | undefined

/**
 * Writes one trial optimistically, the shape of every single-trial write of SqlStorage. Reads the trial
 * (or takes the copy `known` holds), lets `plan` check it and return the new column values, then in one
 * short transaction bumps the study version and updates the trial only if it is unchanged since the read
 * (compare-and-set); otherwise starts over from a fresh read. With `iv`, also upserts that intermediate
 * value. A refusal or a no-op planned on a cached copy is decided again on a fresh read, since the copy
 * may be stale. Returns the new snapshot (and remembers it in `known`), or undefined when `plan` wrote
 * nothing; throws `trial_not_found` when the trial does not exist.
 */
export async function changeTrial(
  driver: SqlDriver,
  known: KnownTrials,
  id: TrialId,
  plan: PlanTrialChange,
  iv?: { step: number; value: number },
): Promise<FrozenTrial | undefined> {
  let read = known.get(id)
  for (;;) {
    const fromCache = read !== undefined
    read ??= await readTrialRow(driver, id)
    if (read === undefined) {
      known.forget(id)
      throw trialNotFound(id)
    }
    known.study(Number(read.row.study_id), read.row.study_name, read.row.study_directions)
    let patch: TrialPatch | undefined
    try {
      patch = plan(read.row, trialLabel(read.row, read.row.study_name))
    } catch (e) {
      if (!fromCache) throw e
    }
    if (patch === undefined && fromCache) {
      read = undefined // a refusal or a no-op decided on a possibly stale copy: decide again on a fresh read
      continue
    }
    if (patch === undefined) return undefined
    const { study_name: _n, study_directions: _d, ...row } = read.row
    const version = await casUpdateTrial(driver, row.study_id as StudyId, id, Number(row.version), patch, iv)
    if (version === undefined) {
      read = undefined // changed by someone else since it was read
      continue
    }
    let intermediate = read.intermediate
    if (iv !== undefined) {
      intermediate = intermediate.filter((x) => x.step !== iv.step)
      intermediate.push({ step: iv.step, value: iv.value })
      intermediate.sort((a, b) => a.step - b.step)
    }
    const updated = { ...row, ...patch, version }
    known.set(updated, intermediate)
    return toFrozenTrial(updated, intermediate)
  }
}
