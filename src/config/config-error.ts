import { WinnowError } from '../core/errors.ts'

/**
 * One problem found in a study file, located in the source.
 *
 * `line` and `column` are 1-based; they are absent only for problems with the file itself (not found, a directory).
 * `path` is the field path as users write it (`space.lr.low`, `command[0]`), empty for the whole document.
 */
export interface ConfigIssue {
  readonly file: string
  readonly line?: number
  readonly column?: number
  readonly path: string
  readonly message: string
}

/** Formats an issue as one line: `study.yaml:7:12 space.lr.low: must be > 0 …`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`
}

/** A study file that cannot be used; the message holds one line per problem, `issues` the same as data. */
export class ConfigError extends WinnowError {
  readonly issues: readonly ConfigIssue[]
  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super('invalid_config', issues.map(formatIssue).join('\n'), options)
    this.issues = issues
  }
}

/** Formats a field path (`['space', 'lr', 'low']` → `space.lr.low`, `['command', 0]` → `command[0]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? String(seg) : `.${String(seg)}`
  }
  return out
}
