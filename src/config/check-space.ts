import { didYouMean, suggestion } from '../core/did-you-mean.ts'
import {
  containsValue,
  type Distribution,
  describeDistribution,
  finiteValues,
  type ParamValue,
  validateDistribution,
} from '../core/distributions/distribution.ts'
import { SearchSpaceError } from '../core/errors.ts'
import { renderValue } from './render.ts'
import { activeParams, toDistribution } from './space.ts'
import type { SpaceConfig } from './space-schema.ts'

/** A cross-field problem at a path of the parsed study; `atKey` locates the key rather than the value. */
export interface PathIssue {
  readonly path: readonly (string | number)[]
  readonly message: string
  readonly atKey?: boolean
}

// Which field a core validation message is about, so the error points at the right line.
function fieldOf(message: string, d: Distribution): string {
  if (d.kind === 'categorical') return 'choices'
  if (message.includes('step')) return 'step'
  if (message.includes('integer bounds')) return Number.isInteger(d.low) ? 'high' : 'low'
  return 'low'
}

/** A short description of the legal values of `d`, as a hint. */
export function legalValues(d: Distribution): string {
  const values = finiteValues(d)
  if (values !== undefined && values.length <= 12) return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
  return `a value in ${describeDistribution(d)}`
}

/** Validates each distribution with core rules and every `when`: known references, legal values, no cycles. */
export function checkSpace(space: SpaceConfig): PathIssue[] {
  const issues: PathIssue[] = []
  const names = Object.keys(space)
  for (const [name, p] of Object.entries(space)) {
    const d = toDistribution(p)
    try {
      validateDistribution(name, d)
    } catch (e) {
      if (!(e instanceof SearchSpaceError)) throw e
      // Core says `Search space is invalid for "lr": <rule> ...`; the located path already names the parameter.
      const message = e.message.replace(/^Search space is invalid for "[^"]*": /, '')
      issues.push({ path: ['space', name, fieldOf(message, d)], message })
    }
    if (d.kind === 'categorical') issues.push(...sameOnTheCommandLine(name, d.choices, d))
    for (const [ref, wanted] of Object.entries(p.when ?? {})) {
      const at = ['space', name, 'when', ref]
      if (ref === name) {
        issues.push({ path: at, atKey: true, message: `makes "${name}" depend on itself. Remove this condition.` })
        continue
      }
      if (!Object.hasOwn(space, ref)) {
        issues.push({
          path: at,
          atKey: true,
          message: `refers to "${ref}", which is not a parameter of the space. ${suggestion(ref, names, 'one of')}`,
        })
        continue
      }
      const refDist = toDistribution(space[ref])
      if (refDist.kind === 'float' && refDist.step === undefined) {
        issues.push({
          path: at,
          atKey: true,
          message: `tests "${ref}", a continuous float, which almost never equals a listed value, so "${name}" would almost never be active. Condition on a categorical or integer parameter (or give "${ref}" a step).`,
        })
        continue
      }
      const options = Array.isArray(wanted) ? wanted : [wanted]
      options.forEach((v, i) => {
        if (containsValue(refDist, v as ParamValue)) return
        issues.push({
          path: Array.isArray(wanted) ? [...at, i] : at,
          message: `${JSON.stringify(v)} is never a value of "${ref}", so the condition can never hold. Use ${legalValues(refDist)}.`,
        })
      })
    }
  }
  issues.push(...findCycles(space))
  return issues
}

/** Choices that reach the command as the same text (1 and "1", true and "true"): a trial could not tell them apart. */
function sameOnTheCommandLine(name: string, choices: readonly ParamValue[], d: Distribution): PathIssue[] {
  const seen = new Map<string, ParamValue>()
  const issues: PathIssue[] = []
  choices.forEach((c, i) => {
    const text = renderValue(c, d)
    const earlier = seen.get(text)
    if (seen.has(text))
      issues.push({
        path: ['space', name, 'choices', i],
        message: `${JSON.stringify(c)} reaches the command as "${text}", as ${JSON.stringify(earlier)} does, so a trial cannot tell them apart. Keep one of them.`,
      })
    else seen.set(text, c)
  })
  return issues
}

function findCycles(space: SpaceConfig): PathIssue[] {
  const issues: PathIssue[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (name: string) => {
    state.set(name, 'visiting')
    stack.push(name)
    for (const ref of Object.keys(space[name].when ?? {})) {
      if (ref === name || !Object.hasOwn(space, ref)) continue
      if (state.get(ref) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(ref)), ref]
        issues.push({
          path: ['space', name, 'when', ref],
          atKey: true,
          message: `makes a cycle of conditions: ${cycle.join(' → ')}. Remove one of these when entries.`,
        })
      } else if (!state.has(ref)) visit(ref)
    }
    stack.pop()
    state.set(name, 'done')
  }
  for (const name of Object.keys(space)) if (!state.has(name)) visit(name)
  return issues
}

function hintFor(key: string, names: readonly string[]): string {
  const best = didYouMean(key, names)
  return best === undefined ? 'Remove it or declare it in space.' : `Did you mean "${best}"?`
}

/**
 * Checks the baseline: every key is a parameter, every value is legal, every active parameter has a value,
 * and no inactive conditional parameter is set. Assumes `checkSpace` found no problems.
 */
export function checkBaseline(space: SpaceConfig, baseline: Readonly<Record<string, ParamValue>>): PathIssue[] {
  const issues: PathIssue[] = []
  const names = Object.keys(space)
  const active = new Set(activeParams(space, baseline))
  for (const [key, value] of Object.entries(baseline)) {
    if (!Object.hasOwn(space, key)) {
      issues.push({
        path: ['baseline', key],
        atKey: true,
        message: `is not a parameter of the space. ${hintFor(key, names)}`,
      })
      continue
    }
    const d = toDistribution(space[key])
    if (!active.has(key)) {
      issues.push({
        path: ['baseline', key],
        atKey: true,
        message: `sets "${key}", but its condition when ${JSON.stringify(space[key].when)} does not hold for this baseline. Remove it.`,
      })
    } else if (!containsValue(d, value)) {
      const message =
        d.kind !== 'categorical' && finiteValues(d) === undefined
          ? `${JSON.stringify(value)} is outside ${describeDistribution(d)}. Use a value between ${d.low} and ${d.high}.`
          : `${JSON.stringify(value)} is not a legal value of ${describeDistribution(d)}. Use ${legalValues(d)}.`
      issues.push({ path: ['baseline', key], message })
    }
  }
  const missing = [...active].filter((n) => !Object.hasOwn(baseline, n))
  if (missing.length > 0)
    issues.push({
      path: ['baseline'],
      atKey: true,
      message: `is missing ${missing.map((m) => `"${m}"`).join(', ')}. Give every active parameter a value: a baseline is one complete configuration.`,
    })
  return issues
}
