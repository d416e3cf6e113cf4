import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../core/distributions/distribution.ts'
import { ConfigError } from './config-error.ts'
import { parseTemplate, type TemplatePart, TemplateSyntaxError } from './template.ts'

/** Writes a float so every common parser reads a float back: `0.0`, `128.0`, `0.0003`, `1e-7`, never `0`. */
export function renderFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Number.POSITIVE_INFINITY) return 'inf'
  if (x === Number.NEGATIVE_INFINITY) return '-inf'
  // String() is the shortest text that round-trips; it only lacks a `.` or `e` for whole numbers.
  const s = String(x)
  return /[.e]/.test(s) ? s : `${s}.0`
}

/** Writes an int without a fraction or exponent: `128`, never `128.0` or `1e+21`. */
export function renderInt(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : BigInt(Math.round(x)).toString()
}

/**
 * Renders one parameter value for argv.
 *
 * - float distribution: `renderFloat`; int distribution: `renderInt`.
 * - categorical numbers: as floats when any numeric choice has a fraction (`[0.0, 0.1]` → `0.0`), else as ints,
 *   because YAML's `1.0` and `1` are the same number once parsed.
 * - booleans: `true` / `false` (for argparse, use `type=lambda s: s == "true"`; `type=bool` treats any text as True).
 * - null: the empty string. Strings: unchanged.
 */
export function renderValue(value: ParamValue, d?: Distribution): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return value
  if (d?.kind === 'float') return renderFloat(value)
  if (d?.kind === 'int') return renderInt(value)
  if (d?.kind === 'categorical') {
    const anyFraction = d.choices.some((c) => typeof c === 'number' && !Number.isInteger(c))
    return anyFraction ? renderFloat(value) : Number.isInteger(value) ? renderInt(value) : renderFloat(value)
  }
  return Number.isInteger(value) ? renderInt(value) : renderFloat(value)
}

/**
 * Replaces `{name}` placeholders argument by argument (never through a shell: every argument stays one argv
 * entry, whatever characters it holds).
 *
 * `space` is the whole declared space; a declared parameter missing from `params` is a conditional parameter
 * that is inactive in this trial and renders as the empty string (pass conditional parameters via
 * WINNOW_PARAMS when an empty argument would confuse the script). `builtins` supplies the built-in
 * placeholders (`trial_number`, `checkpoint_dir`, ...). Any other name is a ConfigError; the loader already
 * rejects those, so this only fires for commands that did not come from a study file.
 */
export function renderArgv(
  command: readonly string[],
  params: ParamValues,
  space: SearchSpace,
  builtins: Readonly<Record<string, string>> = {},
): string[] {
  return command.map((arg, i) =>
    templateOf(arg, i)
      .map((part) => {
        if ('text' in part) return part.text
        const { name } = part
        if (Object.hasOwn(space, name)) return Object.hasOwn(params, name) ? renderValue(params[name], space[name]) : ''
        if (Object.hasOwn(builtins, name)) return builtins[name]
        throw new ConfigError([
          {
            file: '<command>',
            path: `command[${i}]`,
            message: `uses {${name}}, which is neither a parameter nor a built-in placeholder. Declare it in space or fix the name.`,
          },
        ])
      })
      .join(''),
  )
}

function templateOf(arg: string, i: number): TemplatePart[] {
  try {
    return parseTemplate(arg)
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e
    throw new ConfigError([
      { file: '<command>', path: `command[${i}]`, message: `${JSON.stringify(arg)} ${e.message}` },
    ])
  }
}
