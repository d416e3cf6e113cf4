import { readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import type * as z from 'zod'
import { suggestion } from '../core/did-you-mean.ts'
import { checkBaseline, checkSpace, type PathIssue } from './check-space.ts'
import { checkMetricsFrom, checkObjectives, checkPlaceholders, checkRuntime } from './check-study.ts'
import { ConfigError, type ConfigIssue, formatPath } from './config-error.ts'
import { studyErrorMap } from './error-map.ts'
import { type StudyFileConfig, studySchema } from './study-schema.ts'
import { locate } from './yaml-locate.ts'

/** One objective of the study. */
export interface Objective {
  readonly name: string
  readonly direction: 'minimize' | 'maximize'
}

/**
 * A validated study file. Keys stay as users write them (snake_case); `metric`/`metrics` become `objectives`,
 * durations are seconds, `sampler` and `scheduler` are always objects, and paths are resolved: `cwd` is absolute
 * (default: the study file's folder) and a relative `sqlite:` storage path is made relative to the study file.
 */
export interface StudyConfig extends Omit<StudyFileConfig, 'metric' | 'metrics' | 'cwd' | 'storage'> {
  /** Absolute path of the study file. */
  readonly file: string
  readonly objectives: readonly Objective[]
  readonly cwd: string
  readonly storage: string
}

/** Reads and validates a study file; throws ConfigError with one located line per problem. */
export function loadStudyFile(path: string): StudyConfig {
  let text: string
  try {
    if (statSync(path).isDirectory())
      throw new ConfigError([
        { file: path, path: '', message: 'is a directory, not a study file. Pass the YAML file, e.g. study.yaml.' },
      ])
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof ConfigError) throw e
    const code = (e as NodeJS.ErrnoException).code
    const message =
      code === 'ENOENT'
        ? 'does not exist. Check the path, or run `winnow init` to write a study file.'
        : `cannot be read (${code ?? (e as Error).message}). Check its permissions.`
    throw new ConfigError([{ file: path, path: '', message }], { cause: e })
  }
  return parseStudyFile(text, path)
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'Remove one of the two.',
  TAB_AS_INDENT: 'Indent with spaces, not tabs.',
  BAD_INDENT: 'Check the indentation.',
  MISSING_CHAR: 'Close the bracket or quote.',
}

/**
 * Parses and validates study-file text; `path` is used in messages and to resolve relative paths.
 * Throws ConfigError listing every problem found (syntax errors first; cross-field checks only once the
 * fields themselves are valid).
 */
export function parseStudyFile(text: string, path: string): StudyConfig {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false })
  if (doc.errors.length > 0)
    throw new ConfigError(
      doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0])
        const msg = e.message.replace(/ at line \d+, column \d+.*$/s, '').replace(/\.$/, '')
        const hint = YAML_HINTS[e.code] ?? 'Check the YAML syntax here (indentation, colons, quotes, brackets).'
        // The parser points at the repeated key without naming it; the key is the text up to its colon.
        const key =
          e.code === 'DUPLICATE_KEY' ? /^("[^"\n]*"|'[^'\n]*'|[^:#\n]+?)\s*:/.exec(text.slice(e.pos[0])) : null
        const what = key ? `the key ${key[1]} appears twice in the same mapping` : msg
        return { file: path, line: p.line, column: p.col, path: '', message: `YAML syntax error: ${what}. ${hint}` }
      }),
    )
  const data: unknown = doc.toJS({ maxAliasCount: 1000 })
  const whole = (message: string): never => {
    const p = locate(doc, lc, [])
    throw new ConfigError([{ file: path, line: p.line, column: p.column, path: '', message }])
  }
  if (data === null || data === undefined)
    whole('is empty. A study needs at least name, metric, command and space; run `winnow init` for a template.')
  if (typeof data !== 'object' || Array.isArray(data))
    whole(
      `must be a mapping of fields (name: ..., command: ...), but its top level is ${Array.isArray(data) ? 'a list' : 'a single value'}.`,
    )
  const toIssue = (path_: readonly PropertyKey[], message: string, atKey = false): ConfigIssue => {
    const p = locate(doc, lc, path_, atKey)
    return { file: path, line: p.line, column: p.column, path: formatPath(path_), message }
  }
  const parsed = studySchema.safeParse(data, { error: studyErrorMap as z.core.$ZodErrorMap })
  if (!parsed.success)
    throw new ConfigError(
      sortIssues(flattenIssues(parsed.error.issues, []).map((i) => toIssue(i.path, i.message, i.atKey))),
    )
  const c = parsed.data
  const spaceIssues = checkSpace(c.space)
  const issues: PathIssue[] = [
    ...checkObjectives(c),
    ...spaceIssues,
    ...(spaceIssues.length === 0 && c.baseline ? checkBaseline(c.space, c.baseline) : []),
    ...checkPlaceholders(c),
    ...checkMetricsFrom(c),
    ...checkRuntime(c),
  ]
  if (issues.length > 0) throw new ConfigError(sortIssues(issues.map((i) => toIssue(i.path, i.message, i.atKey))))
  return resolveConfig(c, path)
}

/**
 * A ConfigError for problems found in an already loaded study file after the fact (e.g. against what a storage
 * holds): each issue is located in the file's current text, as the loader's own are.
 */
export function studyFileError(file: string, issues: readonly PathIssue[]): ConfigError {
  const lc = new LineCounter()
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc, prettyErrors: false })
  return new ConfigError(
    issues.map((i) => {
      const p = locate(doc, lc, i.path, i.atKey)
      return { file, line: p.line, column: p.column, path: formatPath(i.path), message: i.message }
    }),
  )
}

type ZodIssue = z.core.$ZodIssue & { allowed?: string[] }

/** Turns zod issues into located path issues: one per unknown key, the relevant branch of a union. */
function flattenIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[]): PathIssue[] {
  return issues.flatMap((iss): PathIssue[] => {
    const path = [...prefix, ...iss.path] as (string | number)[]
    if (iss.code === 'unrecognized_keys')
      return iss.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `is not a known key. ${suggestion(key, iss.allowed ?? [], 'one of')}`,
      }))
    if (iss.code === 'invalid_key')
      return flattenIssues(iss.issues as ZodIssue[], path).map((i) => ({ ...i, path, atKey: true }))
    if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      const branch = pickBranch(iss.errors as ZodIssue[][])
      if (branch !== undefined) return flattenIssues(branch, path)
    }
    return [{ path, message: iss.message }]
  })
}

// A union branch that failed on the shape of the whole value (a string where an object was wanted) is not what
// the user meant; among the others, the branch that got deepest into the value is the most specific.
function pickBranch(branches: readonly ZodIssue[][]): ZodIssue[] | undefined {
  const relevant = branches.filter((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'))
  const depth = (b: ZodIssue[]) => Math.max(...b.map((i) => i.path.length))
  return relevant.sort((a, b) => depth(b) - depth(a))[0]
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

function resolveConfig(c: StudyFileConfig, path: string): StudyConfig {
  const file = resolve(path)
  const dir = dirname(file)
  const { metric, metrics, cwd, storage, ...rest } = c
  let resolvedStorage = storage
  const sqlitePath = storage.startsWith('sqlite:') ? storage.slice('sqlite:'.length) : undefined
  if (sqlitePath !== undefined && sqlitePath !== ':memory:' && !sqlitePath.startsWith('//') && !isAbsolute(sqlitePath))
    resolvedStorage = `sqlite:${resolve(dir, sqlitePath)}`
  return {
    ...rest,
    file,
    objectives: metrics ?? (metric ? [metric] : []),
    cwd: cwd === undefined ? dir : resolve(dir, cwd),
    storage: resolvedStorage,
  }
}
