import { didYouMean } from '../core/did-you-mean.ts'
import type { PathIssue } from './check-space.ts'
import type { StudyFileConfig } from './study-schema.ts'
import { BUILTIN_PLACEHOLDERS, placeholderNames, TemplateSyntaxError } from './template.ts'

/** Named capture groups of a (valid) regular expression. */
export function namedGroups(source: string): string[] {
  // Matching the empty alternative always succeeds and lists every named group (undefined values).
  return Object.keys(new RegExp(`${source}|`).exec('')?.groups ?? {})
}

/** Exactly one of `metric` / `metrics`, with distinct names. */
export function checkObjectives(c: StudyFileConfig): PathIssue[] {
  if (c.metric !== undefined && c.metrics !== undefined)
    return [
      {
        path: ['metrics'],
        atKey: true,
        message: 'is set together with metric. Keep metric for one objective or metrics for several, not both.',
      },
    ]
  if (c.metric === undefined && c.metrics === undefined)
    return [
      {
        path: ['metric'],
        message:
          'is required, but it is missing. Add metric: {name: eval_loss, direction: minimize} (or metrics: [...]).',
      },
    ]
  const issues: PathIssue[] = []
  const seen = new Set<string>()
  c.metrics?.forEach((m, i) => {
    if (seen.has(m.name))
      issues.push({ path: ['metrics', i, 'name'], message: `repeats "${m.name}". Give each objective once.` })
    seen.add(m.name)
  })
  return issues
}

/** Every `{name}` in the command is a space parameter or a built-in placeholder, and braces are well formed. */
export function checkPlaceholders(c: StudyFileConfig): PathIssue[] {
  const issues: PathIssue[] = []
  const builtins: readonly string[] = BUILTIN_PLACEHOLDERS
  const params = Object.keys(c.space)
  for (const name of params)
    if (builtins.includes(name))
      issues.push({
        path: ['space', name],
        atKey: true,
        message: `clashes with the built-in placeholder {${name}}. Rename the parameter.`,
      })
  c.command.forEach((arg, i) => {
    let names: string[]
    try {
      names = placeholderNames(arg)
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e
      issues.push({ path: ['command', i], message: `${JSON.stringify(arg)} ${e.message}` })
      return
    }
    for (const name of names) {
      if (params.includes(name) || builtins.includes(name)) continue
      const best = didYouMean(name, [...params, ...builtins])
      const hint =
        best === undefined
          ? `Declare "${name}" in space, or use a built-in: ${builtins.join(', ')}.`
          : `Did you mean {${best}}?`
      issues.push({
        path: ['command', i],
        message: `uses {${name}}, but no parameter "${name}" is declared in space. ${hint}`,
      })
    }
  })
  // Environment values are passed as written; a parameter's placeholder there is a mistake, not a literal.
  for (const [key, value] of Object.entries(c.env ?? {})) {
    const named = [...value.matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .find((n) => params.includes(n) || builtins.includes(n))
    if (named !== undefined)
      issues.push({
        path: ['env', key],
        message: `holds {${named}}, but placeholders are filled only in command; env values reach the trial as written. Pass it in command, or read WINNOW_PARAMS (a JSON object of every parameter) in the script.`,
      })
  }
  return issues
}

/** Metrics must have a way in: the protocol or a stdout pattern whose named groups capture them. */
export function checkMetricsFrom(c: StudyFileConfig): PathIssue[] {
  const issues: PathIssue[] = []
  const mf = c.metrics_from
  const objectives = (c.metrics ?? (c.metric ? [c.metric] : [])).map((m) => m.name)
  const patterns = mf.stdout_pattern ?? []
  const captured = new Set<string>()
  patterns.forEach((p, i) => {
    const groups = namedGroups(p)
    for (const g of groups) captured.add(g)
    const path =
      mf.stdout_pattern?.length === 1 ? ['metrics_from', 'stdout_pattern'] : ['metrics_from', 'stdout_pattern', i]
    if (groups.filter((g) => g !== 'step').length === 0)
      issues.push({
        path,
        message: `has no named group, so it captures no metric. Name the value, e.g. "val loss (?<${objectives[0] ?? 'eval_loss'}>[0-9.eE+-]+)".`,
      })
  })
  if (mf.step_pattern !== undefined && !namedGroups(mf.step_pattern).includes('step'))
    issues.push({
      path: ['metrics_from', 'step_pattern'],
      message: `${JSON.stringify(mf.step_pattern)} has no (?<step>...) group. Write e.g. "step (?<step>\\\\d+)".`,
    })
  // protocol: false with no pattern is the clients' stdout mode (WINNOW lines); with patterns, an objective no
  // pattern captures is almost surely a typo in the pattern.
  if (!mf.protocol && patterns.length > 0) {
    for (const name of objectives.filter((o) => !captured.has(o)))
      issues.push({
        path: ['metrics_from', 'stdout_pattern'],
        message: `captures no group named "${name}", and protocol is false, so the objective is never reported. Add (?<${name}>...) to a pattern.`,
      })
  }
  return issues
}

const PROMOTION = new Set(['asha', 'hyperband', 'bohb', 'pbt'])

/** Scheduler, fidelity, resources and env rules that span several fields. */
export function checkRuntime(c: StudyFileConfig): PathIssue[] {
  const issues: PathIssue[] = []
  const s = c.scheduler
  const r = s.resource
  if (s.type === 'auto' && r?.max === undefined)
    issues.push({
      path: r === undefined ? ['scheduler'] : ['scheduler', 'resource'],
      message:
        'auto needs the full-fidelity resource. Add resource: {kind: steps, max: 2000} (min defaults to max/20).',
    })
  if (PROMOTION.has(s.type) && (r?.min === undefined || r.max === undefined))
    issues.push({
      path: r === undefined ? ['scheduler'] : ['scheduler', 'resource'],
      message: `${s.type} needs a resource range. Add resource: {kind: steps, min: 100, max: 2000}.`,
    })
  if (r?.min !== undefined && r.max !== undefined && r.min >= r.max)
    issues.push({
      path: ['scheduler', 'resource', 'min'],
      message: `must be < max, but got min=${r.min}, max=${r.max}. Lower min or raise max.`,
    })
  if (r?.kind === 'data_fraction' && r.max !== undefined && r.max > 1)
    issues.push({
      path: ['scheduler', 'resource', 'max'],
      message: `must be <= 1 for data_fraction, but got ${r.max}. Use 1.0 for the full data.`,
    })
  if (s.type === 'threshold' && s.lower === undefined && s.upper === undefined)
    issues.push({ path: ['scheduler'], message: 'threshold needs lower or upper. Add e.g. upper: 10.' })
  const fractions = c.fidelity?.data_fraction ?? []
  fractions.forEach((f, i) => {
    if (i > 0 && f <= fractions[i - 1])
      issues.push({
        path: ['fidelity', 'data_fraction', i],
        message: `must be larger than the previous level ${fractions[i - 1]}, but got ${f}. List the fractions in increasing order.`,
      })
  })
  const gpus = c.resources.gpus
  if (Array.isArray(gpus) && new Set(gpus).size !== gpus.length)
    issues.push({
      path: ['resources', 'gpus'],
      message: `lists a GPU twice: ${JSON.stringify(gpus)}. Remove the duplicate.`,
    })
  for (const key of Object.keys(c.env))
    if (key.startsWith('WINNOW_'))
      issues.push({ path: ['env', key], atKey: true, message: 'is reserved for the trial protocol. Use another name.' })
  return issues
}
