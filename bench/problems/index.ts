/**
 * The public benchmark suite (shared/bench/PROBLEMS.md) as BenchProblems, lookup by name, and loading of user
 * problem modules (`--problem-module`).
 */
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { validateDistribution } from '../../src/core/distributions/distribution.ts'
import { UsageError } from '../../src/core/errors.ts'
import { continuousProblems } from './continuous.ts'
import { loraCurves, loraSurrogate } from './lora.ts'
import type { BenchProblem } from './types.ts'

export * from './types.ts'

/** Every public problem by name, in PROBLEMS.md order (the seven test functions, the surrogate, the curves). */
export const problems: Readonly<Record<string, BenchProblem>> = Object.freeze(
  Object.fromEntries([...continuousProblems, loraSurrogate, loraCurves].map((p) => [p.name, p])),
)

/** Names of the public problems, in PROBLEMS.md order. */
export const problemNames: readonly string[] = Object.keys(problems)

/**
 * The problem called `name` in `from` (default: the public suite). Throws a UsageError listing the valid names.
 */
export function getProblem(name: string, from: Readonly<Record<string, BenchProblem>> = problems): BenchProblem {
  const p = Object.hasOwn(from, name) ? from[name] : undefined
  if (p) return p
  throw new UsageError(
    `Unknown problem "${name}". Valid names: ${Object.keys(from).join(', ')}. ` +
      'Pass --problem-module <file> to add your own problems.',
  )
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/**
 * What is wrong with `value` as a BenchProblem (empty when it is fine): missing or mistyped `name`, `space` (with
 * every distribution checked by Winnow's rules), `fstar`, `noisy`, `evaluate`, and for curve problems `maxStep`
 * and `evaluateAt`.
 */
export function problemIssues(value: unknown): string[] {
  if (!isObject(value)) return [`is not an object (got ${value === null ? 'null' : typeof value})`]
  const issues: string[] = []
  if (typeof value.name !== 'string' || value.name === '') issues.push('missing `name` (a non-empty string)')
  if (!isObject(value.space) || Object.keys(value.space).length === 0) {
    issues.push('missing `space` (a record of parameter name → distribution, at least one)')
  } else {
    for (const [param, d] of Object.entries(value.space)) {
      if (!isObject(d) || !['float', 'int', 'categorical'].includes(d.kind as string)) {
        issues.push(`space.${param} is not a distribution ({ kind: 'float' | 'int' | 'categorical', … })`)
        continue
      }
      try {
        validateDistribution(param, d as never)
      } catch (e) {
        issues.push(`space.${param}: ${(e as Error).message}`)
      }
    }
  }
  if (typeof value.fstar !== 'number' || !Number.isFinite(value.fstar))
    issues.push('missing `fstar` (a finite number: the optimum, for regret)')
  if (typeof value.noisy !== 'boolean') issues.push('missing `noisy` (a boolean)')
  if (typeof value.evaluate !== 'function')
    issues.push('missing `evaluate(params, seed)` (a function returning { observed, clean })')
  if ('maxStep' in value || 'evaluateAt' in value) {
    if (typeof value.maxStep !== 'number' || !Number.isInteger(value.maxStep) || value.maxStep < 1)
      issues.push('missing `maxStep` (a positive integer) for a curve problem')
    if (typeof value.evaluateAt !== 'function')
      issues.push('missing `evaluateAt(params, seed, step)` (a function) for a curve problem')
  }
  if ('xstar' in value && value.xstar !== undefined && !isObject(value.xstar))
    issues.push('`xstar` must be a record of parameter values')
  return issues
}

/** Throws a UsageError listing every issue of `value` as a BenchProblem; `where` names it in the message. */
export function validateProblem(value: unknown, where = 'problem'): asserts value is BenchProblem {
  const issues = problemIssues(value)
  if (issues.length > 0)
    throw new UsageError(`${where} is not a valid benchmark problem:\n  - ${issues.join('\n  - ')}`)
}

const MODULE_EXTS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']
const TS_EXTS = ['.ts', '.mts', '.cts']

async function importModule(path: string, abs: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(abs).href
  try {
    return await import(url)
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && TS_EXTS.includes(extname(abs))) {
      // Not running under tsx: load the TypeScript module through tsx's API instead.
      const { tsImport } = await import('tsx/esm/api')
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>
    }
    throw new UsageError(`Could not load problem module ${path}: ${(e as Error).message}`, { cause: e })
  }
}

/** The candidate problems of a module, each with where it came from (for error messages). */
function candidates(mod: Record<string, unknown>): [string, unknown][] {
  const spread = (v: unknown, label: string): [string, unknown][] => {
    if (Array.isArray(v)) return v.map((p, i) => [`${label}[${i}]`, p])
    if (isObject(v) && !('evaluate' in v)) return Object.entries(v).map(([k, p]) => [`${label}.${k}`, p])
    return [[label, v]]
  }
  if ('problems' in mod) return spread(mod.problems, 'export `problems`')
  if (mod.default !== undefined) return spread(mod.default, 'default export')
  return Object.entries(mod)
    .filter(([, v]) => isObject(v) && 'evaluate' in v)
    .map(([k, v]) => [`export \`${k}\``, v])
}

/**
 * Imports a user module (`.ts` or `.js`) and returns its problems by name. The module exports either `problems`
 * (a record or array of BenchProblems), or a default export (one problem, a record or an array), or problems as
 * named exports. Every problem is validated (see problemIssues); a UsageError names the file, the export and what
 * is missing. Merge with the suite as `{ ...problems, ...(await loadProblemModule(path)) }`.
 */
export async function loadProblemModule(path: string): Promise<Record<string, BenchProblem>> {
  const abs = resolve(path)
  if (!existsSync(abs)) throw new UsageError(`Problem module not found: ${path} (looked at ${abs}).`)
  if (!MODULE_EXTS.includes(extname(abs)))
    throw new UsageError(`Problem module ${path} must be a ${MODULE_EXTS.join(' / ')} file.`)
  const found = candidates(await importModule(path, abs))
  if (found.length === 0)
    throw new UsageError(
      `Problem module ${path} exports no problems. Export \`problems\` (a record or array), a default export, or ` +
        'named problem objects, each with name, space, fstar, noisy and evaluate(params, seed).',
    )
  const out: Record<string, BenchProblem> = {}
  const errors: string[] = []
  for (const [where, p] of found) {
    const issues = problemIssues(p)
    if (issues.length > 0) errors.push(...issues.map((i) => `${where}: ${i}`))
    else if (Object.hasOwn(out, (p as BenchProblem).name))
      errors.push(`${where}: duplicate problem name "${(p as BenchProblem).name}"`)
    else out[(p as BenchProblem).name] = p as BenchProblem
  }
  if (errors.length > 0) throw new UsageError(`Problem module ${path} is invalid:\n  - ${errors.join('\n  - ')}`)
  return out
}
