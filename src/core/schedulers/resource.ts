import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { checkNumber, checkThat } from './scheduler-options.ts'

/** What a trial's budget is measured in; the `step` of its reports is in this unit. */
export type ResourceKind = 'steps' | 'epochs' | 'data_fraction'

/**
 * The budget multi-fidelity schedulers hand out: rungs at `min · reductionFactor^k` below `max`. A trial's
 * reports carry the resource consumed so far as their `step` (training steps, epochs, or the data fraction used).
 */
export interface Resource {
  /** @default 'steps' */
  readonly kind?: ResourceKind
  /** The first rung (> 0). */
  readonly min: number
  /** Full fidelity: what a trial that is never stopped trains to. */
  readonly max: number
  /** η: keep the top 1/η at each rung; the next rung has η times the resource. @default 3 */
  readonly reductionFactor?: number
}

/** A validated resource with every field filled in. */
export interface ResolvedResource {
  readonly kind: ResourceKind
  readonly min: number
  readonly max: number
  readonly reductionFactor: number
}

const KINDS: readonly ResourceKind[] = ['steps', 'epochs', 'data_fraction']

const RESOURCE_NAMES = { kind: true, min: true, max: true, reductionFactor: true } satisfies OptionNames<Resource>

/** Fills in defaults and checks a resource; errors name `owner` and the bad field. */
export function resolveResource(owner: string, r: Resource): ResolvedResource {
  checkThat(
    typeof r === 'object' && r !== null,
    owner,
    'resource',
    'is required, e.g. { kind: "steps", min: 100, max: 2000 }.',
  )
  checkOptionNames(`${owner} resource`, r, RESOURCE_NAMES)
  const kind = r.kind ?? 'steps'
  checkThat(
    KINDS.includes(kind),
    owner,
    'resource.kind',
    `must be one of ${KINDS.join(', ')}, but got ${String(kind)}.`,
  )
  const min = checkNumber(owner, 'resource.min', r.min, { min: 0, open: true })
  const max = checkNumber(owner, 'resource.max', r.max, { min: 0, open: true })
  checkThat(
    min <= max,
    owner,
    'resource.min',
    `must not exceed resource.max, but got min=${min}, max=${max}. Swap them.`,
  )
  if (kind === 'data_fraction')
    checkThat(
      max <= 1,
      owner,
      'resource.max',
      `must be <= 1 for a data fraction, but got ${max}. Use 1.0 for the whole data set.`,
    )
  const reductionFactor = checkNumber(owner, 'resource.reductionFactor', r.reductionFactor ?? 3, { min: 1, open: true })
  checkThat(
    Number.isFinite(reductionFactor),
    owner,
    'resource.reductionFactor',
    `must be finite, but got ${reductionFactor}. Typical values are 2, 3 or 4.`,
  )
  return { kind, min, max, reductionFactor }
}

/**
 * The rung resources of a ladder, lowest first: `min · η^(e + k)` for k = 0, 1, … while below `max`, where e is
 * the minimum early-stopping rate (Hyperband's bracket offset). Full fidelity (`max`) is not a rung: a trial that
 * passes the last rung trains to the end. Values are rounded to 12 significant digits (0.1·3 is 0.3, not
 * 0.30000000000000004).
 */
export function rungResources(r: ResolvedResource, minEarlyStoppingRate = 0): number[] {
  const out: number[] = []
  for (let k = minEarlyStoppingRate; ; k++) {
    const x = Number((r.min * r.reductionFactor ** k).toPrecision(12))
    if (x >= r.max * (1 - 1e-12)) break
    out.push(x)
  }
  return out
}

/** The number of Hyperband brackets, `floor(log_η(max / min)) + 1` (s_max + 1 in Li et al.). */
export function bracketCount(r: ResolvedResource): number {
  // Counts k >= 0 with min·η^k <= max; the last bracket may have no rung at all (plain full-fidelity runs).
  let n = 1
  while (r.min * r.reductionFactor ** n <= r.max * (1 + 1e-12)) n++
  return n
}
