/**
 * Deterministic, hash-based noise of the public benchmark suite (PROBLEMS.md §0 "Noise"): a canonical string of the
 * configuration, SHA-256 of `<problem>|<seed>|<canonical>|<tag>`, and a Box–Muller standard normal from its first
 * 16 bytes. Pure functions of (problem, seed, params, tag), so values match the Python reference bit for bit up to
 * the last ulp of exp/log/cos.
 */
import { createHash } from 'node:crypto'
import { WinnowError } from '../../src/core/errors.ts'
import type { CategoricalChoice, Distribution, ParamValue, ParamValues } from './types.ts'

const TWO_POW_53 = 9007199254740992

/** The 16 lowercase hex digits of the IEEE-754 binary64 bits of `x`, big-endian (`0.15` → `3fc3333333333333`). */
export function floatHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x, false)
  return view.getBigUint64(0, false).toString(16).padStart(16, '0')
}

/** The default hashing label of a categorical choice: the text as written in a table (`0.5`, `16`, `cosine`). */
export function choiceLabel(choice: CategoricalChoice): string {
  return String(choice)
}

/** One standard normal variate from SHA-256(key): `sqrt(−2 ln u1) · cos(2π u2)` with u1, u2 from bytes 0..15. */
export function hashNormal(key: string): number {
  const h = createHash('sha256').update(key, 'utf8').digest()
  const a = Number(h.readBigUInt64BE(0) >> 11n)
  const b = Number(h.readBigUInt64BE(8) >> 11n)
  const u1 = (a + 0.5) / TWO_POW_53
  const u2 = (b + 0.5) / TWO_POW_53
  return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2)
}

/** The noise key `<problem>|<seed>|<canonical>|<tag>` (seed in decimal). */
export function noiseKey(problem: string, seed: number, canonical: string, tag: string): string {
  return `${problem}|${seed}|${canonical}|${tag}`
}

/** Validates a configuration against a space and writes its canonical string. */
export interface SpaceCodec {
  /**
   * Checks that every parameter of the space is present with a legal type and returns the values the objective
   * computes with: numbers for float/int, the choice itself for categoricals (a label such as `'16'` is accepted
   * and mapped to its choice `16`). Extra keys are ignored. Throws a WinnowError naming the parameter otherwise.
   */
  resolve(params: ParamValues): Record<string, ParamValue>
  /** Canonical string of an already resolved configuration: `name=value` sorted by name (byte order), joined by `;`. */
  canonical(resolved: Readonly<Record<string, ParamValue>>): string
}

/** Byte-order (UTF-8) comparison, which equals code-point order; ASCII names sort as plain strings. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * Builds the codec of a problem's space. `labels` overrides the hashing label of categorical choices per parameter
 * (same order as `choices`); by default a choice's label is `String(choice)`.
 */
export function spaceCodec(
  problem: string,
  space: Readonly<Record<string, Distribution>>,
  labels: Readonly<Record<string, readonly string[]>> = {},
): SpaceCodec {
  const names = Object.keys(space).sort(byteOrder)
  const labelsOf = new Map<string, readonly string[]>()
  for (const name of names) {
    const d = space[name]
    if (d.kind !== 'categorical') continue
    const ls = labels[name] ?? d.choices.map(choiceLabel)
    if (ls.length !== d.choices.length)
      throw new Error(`${problem}: ${name} has ${ls.length} labels for ${d.choices.length} choices`)
    labelsOf.set(name, ls)
  }
  const fail = (name: string, v: unknown, want: string) =>
    new WinnowError(
      'invalid_value',
      `Problem "${problem}": parameter "${name}" must be ${want}, but got ${JSON.stringify(v)}.`,
    )

  function resolve(params: ParamValues): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {}
    for (const name of names) {
      const d = space[name]
      const v = params[name]
      if (v === undefined)
        throw fail(name, v, `given (the problem has ${names.length} parameters: ${names.join(', ')})`)
      if (d.kind === 'categorical') {
        const ls = labelsOf.get(name)!
        let i = d.choices.indexOf(v)
        if (i < 0) i = ls.indexOf(String(v))
        if (i < 0) throw fail(name, v, `one of ${JSON.stringify(d.choices)}`)
        out[name] = d.choices[i]
      } else if (typeof v !== 'number' || Number.isNaN(v)) {
        throw fail(name, v, `a number (${d.kind})`)
      } else if (d.kind === 'int' && !Number.isInteger(v)) {
        throw fail(name, v, 'an integer')
      } else {
        out[name] = v
      }
    }
    return out
  }

  function encode(name: string, v: ParamValue): string {
    const d = space[name]
    if (d.kind === 'float') return floatHex(v as number)
    if (d.kind === 'int') return String(v)
    const i = d.choices.indexOf(v as CategoricalChoice)
    return labelsOf.get(name)![i]
  }

  return {
    resolve,
    canonical: (resolved) => names.map((n) => `${n}=${encode(n, resolved[n])}`).join(';'),
  }
}
