import { UsageError } from '../core/errors.ts'

/** How the trials table is ordered. */
export interface TrialOrder {
  readonly sort: 'number' | 'value'
  /** Undefined: the natural order (newest first by number, best first by value). */
  readonly dir?: 'asc' | 'desc'
}

/** Parses a non-negative integer query parameter; absent is undefined; anything else is a UsageError (HTTP 400). */
export function parseNonNegativeInt(name: string, raw: string | undefined, hint: string): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d{1,15}$/.test(raw))
    throw new UsageError(`Query parameter "${name}" must be a non-negative integer, got "${raw}". ${hint}`)
  return Number(raw)
}

/** `?since=<version>` of the incremental trial read. */
export function parseSince(raw: string | undefined): number | undefined {
  return parseNonNegativeInt(
    'since',
    raw,
    'Pass the "version" of a previous response, or leave it out to read every trial.',
  )
}

/** `?page=` of the trials table: 1-based, 1 when absent. */
export function parsePage(raw: string | undefined): number {
  const page = parseNonNegativeInt('page', raw, 'Pages are numbered from 1.')
  if (page === 0) throw new UsageError('Query parameter "page" must be 1 or more, got "0". Pages are numbered from 1.')
  return page ?? 1
}

/** `?sort=number|value&dir=asc|desc` of the trials table. */
export function parseOrder(sort: string | undefined, dir: string | undefined): TrialOrder {
  if (sort !== undefined && sort !== 'number' && sort !== 'value')
    throw new UsageError(`Query parameter "sort" must be "number" or "value", got "${sort}".`)
  if (dir !== undefined && dir !== 'asc' && dir !== 'desc')
    throw new UsageError(`Query parameter "dir" must be "asc" or "desc", got "${dir}".`)
  return { sort: sort ?? 'number', ...(dir !== undefined ? { dir } : {}) }
}

/** A trial number from the path (`/study/:name/trial/:number`). */
export function parseTrialNumber(raw: string): number {
  if (!/^\d{1,15}$/.test(raw))
    throw new UsageError(`Trial number must be a non-negative integer, got "${raw}". Trials are numbered 0, 1, 2, …`)
  return Number(raw)
}
