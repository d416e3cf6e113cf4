import { StudyNotFoundError, WinnowError } from '../core/errors.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { parseTrialNumber } from './query.ts'
import type { StudyCache, StudyCaches } from './study-cache.ts'
import type { StudyList } from './study-list.ts'

/** What every route of the dashboard shares. */
export interface DashboardContext {
  readonly storage: Storage
  readonly caches: StudyCaches
  /** Every study's digest for the study list, without re-reading them all each time. */
  readonly studyList: StudyList
  /** How often an event stream reads what changed in its study (ms). */
  readonly pollMs: number
  /** Aborted when the server shuts down: event streams end. */
  readonly signal: AbortSignal
}

/** The cache of the study with this name, up to date; StudyNotFoundError (HTTP 404) listing the studies when missing. */
export async function requireStudy(ctx: DashboardContext, name: string, maxAgeMs = 0): Promise<StudyCache> {
  return ctx.caches.forInfo(await requireStudyInfo(ctx, name), maxAgeMs)
}

/** The study with this name as stored (no trials read); StudyNotFoundError (HTTP 404) when missing. */
export async function requireStudyInfo(ctx: DashboardContext, name: string): Promise<StudyInfo> {
  const info = await ctx.storage.findStudy(name)
  if (info !== undefined) return info
  const names = (await ctx.storage.listStudies()).map((s) => s.name)
  throw new StudyNotFoundError(name, ctx.storage.url, names)
}

/** The trial with the number in the path; a bad number is a UsageError (400), an unknown one 'trial_not_found' (404). */
export function requireTrial(cache: StudyCache, rawNumber: string): FrozenTrial {
  const number = parseTrialNumber(rawNumber)
  const trial = cache.trial(number)
  if (trial !== undefined) return trial
  const n = cache.trials().length
  throw new WinnowError(
    'trial_not_found',
    `Study "${cache.info.name}" has no trial #${number}; ${n === 0 ? 'it has no trials yet' : `its trials are #0 to #${n - 1}`}.`,
  )
}
