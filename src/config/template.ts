/** A piece of an argv template: literal text, or a `{name}` placeholder. */
export type TemplatePart = { readonly text: string } | { readonly name: string }

/** Names that `{...}` may use besides the space's parameters; the runner supplies their values per trial. */
export const BUILTIN_PLACEHOLDERS = [
  'trial_number',
  'trial_id',
  'study',
  'checkpoint_dir',
  'resume_from',
  'target',
] as const

/** Thrown by `parseTemplate` with the character offset of the problem. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * Splits one argument into text and `{name}` placeholders. `{{` and `}}` are literal braces (as in Python's
 * str.format); any other lone brace is an error, so a typo never reaches the training script unnoticed.
 */
export function parseTemplate(arg: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let text = ''
  let i = 0
  while (i < arg.length) {
    const c = arg[i]
    if ((c === '{' || c === '}') && arg[i + 1] === c) {
      text += c
      i += 2
      continue
    }
    if (c === '}') throw new TemplateSyntaxError('has a lone "}". Write }} for a literal brace.', i)
    if (c === '{') {
      const end = arg.indexOf('}', i + 1)
      const name = end < 0 ? '' : arg.slice(i + 1, end)
      if (end < 0 || !NAME.test(name))
        throw new TemplateSyntaxError(
          `has "{" not followed by a parameter name and "}" (at character ${i + 1}). Write {name}, or {{ for a literal brace.`,
          i,
        )
      if (text !== '') parts.push({ text })
      text = ''
      parts.push({ name })
      i = end + 1
      continue
    }
    text += c
    i++
  }
  if (text !== '' || parts.length === 0) parts.push({ text })
  return parts
}

/** The placeholder names used in an argument (throws TemplateSyntaxError on bad braces). */
export function placeholderNames(arg: string): string[] {
  return parseTemplate(arg).flatMap((p) => ('name' in p ? [p.name] : []))
}
