import type * as z from 'zod'
import { suggestion } from '../core/did-you-mean.ts'

/** Describes a value from the study file for an error message: `"64" (a string)`, `0`, `a list`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`
  if (Array.isArray(v)) return `a list ${short(v)}`
  if (typeof v === 'object') return `a mapping ${short(v)}`
  return String(v)
}

function short(v: unknown): string {
  const s = JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

const NOUNS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
}

const HINTS: Record<string, string> = {
  number: 'Write a number such as 0.001 or 64.',
  int: 'Write a whole number such as 64.',
  string: 'Write text, quoted if it looks like a number ("3").',
  boolean: 'Write true or false.',
  array: 'Write a list: [a, b].',
  object: 'Write a mapping: {key: value}.',
}

function typeHint(expected: string, input: unknown): string {
  if ((expected === 'number' || expected === 'int') && typeof input === 'string' && Number.isFinite(Number(input)))
    return 'Remove the quotes.'
  if (expected === 'boolean' && (input === 'true' || input === 'false')) return 'Remove the quotes.'
  return HINTS[expected] ?? ''
}

type RawIssue = z.core.$ZodRawIssue & { allowed?: string[] }

function bound(iss: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const limit = String(small ? iss.minimum : iss.maximum)
  if (small) return iss.inclusive ? `>= ${limit}` : `> ${limit}`
  return iss.inclusive ? `<= ${limit}` : `< ${limit}`
}

/**
 * The per-parse zod error map: turns zod issues into "what is wrong, the value, a fix" sentences.
 * For unknown keys it also records the allowed keys on the issue (`allowed`), so the loader can suggest one.
 */
export function studyErrorMap(iss: RawIssue): string | undefined {
  const input = iss.input
  switch (iss.code) {
    case 'invalid_type': {
      const noun = NOUNS[iss.expected] ?? iss.expected
      if (input === undefined) return `is required, but it is missing. Add it (${noun}).`
      return `must be ${noun}, but got ${describeValue(input)}. ${typeHint(iss.expected, input)}`.trimEnd()
    }
    case 'invalid_value': {
      const values = iss.values.map(String)
      return `must be one of ${values.map((v) => `"${v}"`).join(', ')}, but got ${describeValue(input)}. ${suggestion(String(input), values)}`
    }
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small'
      if (iss.origin === 'array' && small) return `must list at least ${iss.minimum} item(s), but it is empty. Add one.`
      if (iss.origin === 'string' && small) return 'must not be empty. Write a value.'
      const b = bound(iss, small)
      return `must be ${b}, but got ${describeValue(input)}. Use a value ${b}.`
    }
    case 'unrecognized_keys': {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape
      iss.allowed = Object.keys(shape ?? {})
      return `is not a known key. ${suggestion(iss.keys[0] ?? '', iss.allowed, 'one of')}`
    }
    case 'invalid_union': {
      const u = iss as typeof iss & { note?: string; options?: unknown[]; discriminator?: string }
      if (u.note === 'No matching discriminator') {
        const options = (u.options ?? []).map(String)
        // zod hands over the whole object; the message is about its discriminator field.
        const value =
          typeof input === 'object' && input !== null
            ? (input as Record<string, unknown>)[u.discriminator ?? 'type']
            : input
        if (value === undefined)
          return `is required, but it is missing. Use one of ${options.map((o) => `"${o}"`).join(', ')}.`
        return `must be one of ${options.map((o) => `"${o}"`).join(', ')}, but got ${describeValue(value)}. ${suggestion(String(value), options)}`
      }
      return `has the wrong type: got ${describeValue(input)}. Check the documented form of this field.`
    }
    default:
      return undefined
  }
}
