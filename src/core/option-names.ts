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
    throw new WinnowError(
      'invalid_config',
      `${owner} has no option \`${key}\`. ${hint}Its options: ${known.join(', ')}.`,
    )
  }
}
