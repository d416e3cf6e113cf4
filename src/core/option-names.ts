/**
 * Refuses option objects with names the receiver does not have. Why: TypeScript catches `new GpSampler({
 * nCandiates: 256 })` at compile time, but plain JavaScript, options read from JSON and `as` casts reach the
 * constructor unchecked, and a misspelled option silently falls back to its default.
 *
 * @module
 */
import { didYouMean } from './did-you-mean.ts'
import { WinnowError } from './errors.ts'

/** Every option name of `T`, each `true`: write it with `satisfies OptionNames<T>` so a new option cannot be missed. */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true }

/** @throws WinnowError (invalid_config) naming the unknown option, the closest known one and the full list. */
export function checkOptionNames<T extends object>(owner: string, options: T | undefined, names: OptionNames<T>): void {
  if (options === undefined || options === null || typeof options !== 'object') return
  const known = Object.keys(names)
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(names, key)) continue
    const close = didYouMean(key, known)
    const hint = close !== undefined ? `Did you mean \`${close}\`? ` : ''
    const list = known.length > 0 ? `Its options: ${known.join(', ')}.` : 'It takes none.'
    throw new WinnowError('invalid_config', `${owner} has no option \`${key}\`. ${hint}${list}`)
  }
}

/** A value as an error message should show it: a string quoted and named (`"256" (a string)`), others as they print. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`
  if (Array.isArray(v) || (typeof v === 'object' && v !== null)) return JSON.stringify(v) ?? String(v)
  return String(v)
}

/** The error for an option value that breaks its rule: `GpSampler option \`nCandidates\` must be …, but got …. hint` */
export function badOption(owner: string, option: string, rule: string, value: unknown, hint: string): WinnowError {
  return new WinnowError(
    'invalid_config',
    `${owner} option \`${option}\` must be ${rule}, but got ${describeValue(value)}. ${hint}`,
  )
}
