import {
  type Distribution,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  validateDistribution,
} from '../core/distributions/distribution.ts'
import type { ParamConfig, SpaceConfig, WhenConfig } from './space-schema.ts'

/** Converts one parameter of the study file to a core Distribution (not validated; see `validateDistribution`). */
export function toDistribution(p: ParamConfig): Distribution {
  if (p.type === 'categorical') return { kind: 'categorical', choices: [...p.choices] }
  if (p.type === 'int') return { kind: 'int', low: p.low, high: p.high, log: p.log, step: p.step }
  return { kind: 'float', low: p.low, high: p.high, log: p.log, ...(p.step !== undefined ? { step: p.step } : {}) }
}

/** Every parameter of the space (conditional ones included) as core Distributions, validated. */
export function spaceDistributions(space: SpaceConfig): SearchSpace {
  const out: Record<string, Distribution> = {}
  for (const [name, p] of Object.entries(space)) {
    const d = toDistribution(p)
    validateDistribution(name, d)
    out[name] = d
  }
  return out
}

/** Whether a `when` condition holds for the given values; a reference to a missing (inactive) parameter fails. */
export function conditionHolds(when: WhenConfig | undefined, values: ParamValues): boolean {
  if (when === undefined) return true
  for (const [ref, wanted] of Object.entries(when)) {
    if (!Object.hasOwn(values, ref)) return false
    const options = Array.isArray(wanted) ? wanted : [wanted]
    if (!options.some((o) => o === values[ref])) return false
  }
  return true
}

/**
 * Parameter names in dependency order: every parameter comes after the parameters its `when` refers to, and
 * otherwise in declaration order. Assumes no cycles (the loader rejects them).
 */
export function dependencyOrder(space: SpaceConfig): string[] {
  const order: string[] = []
  const placed = new Set<string>()
  const visit = (name: string, depth: number) => {
    if (placed.has(name) || depth > Object.keys(space).length) return
    for (const ref of Object.keys(space[name]?.when ?? {})) if (ref in space) visit(ref, depth + 1)
    placed.add(name)
    order.push(name)
  }
  for (const name of Object.keys(space)) visit(name, 0)
  return order
}

/**
 * Names of the parameters that are active for `values`: unconditional ones, and conditional ones whose `when`
 * holds on active parameters. Values of inactive parameters are ignored, so a stale value cannot switch a
 * branch on.
 */
export function activeParams(space: SpaceConfig, values: ParamValues): string[] {
  const active: Record<string, ParamValue> = {}
  const names: string[] = []
  for (const name of dependencyOrder(space)) {
    if (!conditionHolds(space[name].when, active)) continue
    names.push(name)
    if (Object.hasOwn(values, name)) active[name] = values[name]
  }
  return names
}

/** What `applySpace` needs from a trial: Study's `Trial` fits. */
export interface SuggestingTrial {
  suggest(name: string, d: Distribution): ParamValue
}

/**
 * Suggests every active parameter of the space on `trial`, parents before children, skipping parameters whose
 * `when` does not hold for the values suggested so far. Returns the suggested values.
 */
export function applySpace(trial: SuggestingTrial, space: SpaceConfig): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {}
  for (const name of dependencyOrder(space)) {
    const p = space[name]
    if (!conditionHolds(p.when, values)) continue
    values[name] = trial.suggest(name, toDistribution(p))
  }
  return values
}
