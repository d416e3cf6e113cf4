/**
 * Samplers the benchmark can run, by name. Each entry is a factory, so a new sampler is one line:
 * `registerSampler('gp', ({ seed }) => new GpSampler({ seed }))`. A spec may carry options in parentheses,
 * `tpe(nEiCandidates=48 multivariate=false)`, passed to the factory (numbers, booleans and strings).
 */
import { existsSync } from 'node:fs'
import { UsageError } from '../../src/core/errors.ts'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import type { Sampler } from '../../src/core/samplers/sampler.ts'
import type { TpeSamplerOptions } from '../../src/core/samplers/tpe/tpe-options.ts'
import { TpeSampler } from '../../src/core/samplers/tpe/tpe-sampler.ts'
import type { BenchProblem } from '../problems/index.ts'

/** What a factory gets: the run's seed, the problem, the budget and options from the spec. */
export interface SamplerFactoryContext {
  readonly seed: number
  readonly problem: BenchProblem
  readonly budget: number
  readonly options: Readonly<Record<string, string | number | boolean>>
}

/** Builds a fresh sampler for one run. */
export type SamplerFactory = (ctx: SamplerFactoryContext) => Sampler

const registry = new Map<string, SamplerFactory>()

/** Adds (or replaces) a sampler under `name`. */
export function registerSampler(name: string, factory: SamplerFactory): void {
  registry.set(name, factory)
}

/** Names of the registered samplers. */
export function samplerNames(): string[] {
  return [...registry.keys()]
}

registerSampler('random', () => new RandomSampler())
registerSampler('tpe', ({ options }) => new TpeSampler(options as TpeSamplerOptions))
// Optuna 3.1's TPESampler defaults, for a like-for-like comparison with the anchor's `tpe` / `tpe_mv`.
registerSampler('tpe_optuna', ({ options }) => new TpeSampler({ ...optunaTpe, multivariate: false, ...options }))
registerSampler('tpe_optuna_mv', ({ options }) => new TpeSampler({ ...optunaTpe, multivariate: true, ...options }))
const optunaTpe: TpeSamplerOptions = { startup: 'random', constantLiar: false, bandwidthFactor: 0.2 }

/**
 * Samplers written by other parts of the project, registered when their module exists: each entry is the module
 * path (relative to the repo root), the exported class and the bench name.
 */
const optional: readonly [string, string, string][] = [
  ['src/core/samplers/gp/gp-sampler.ts', 'GpSampler', 'gp'],
  ['src/core/samplers/cmaes/cmaes-sampler.ts', 'CmaEsSampler', 'cmaes'],
  ['src/core/samplers/nsga2/nsga2-sampler.ts', 'Nsga2Sampler', 'nsga2'],
  ['src/core/samplers/qmc/qmc-sampler.ts', 'QmcSampler', 'qmc'],
  ['src/core/samplers/qmc-sampler.ts', 'QmcSampler', 'qmc'],
  ['src/core/samplers/auto-sampler.ts', 'AutoSampler', 'auto'],
]

/** Registers the optional samplers whose modules exist (constructed as `new Class({ seed, ...options })`). */
export async function registerAvailableSamplers(): Promise<void> {
  for (const [path, cls, name] of optional) {
    const url = new URL(`../../${path}`, import.meta.url)
    if (registry.has(name) || !existsSync(url)) continue
    const mod = (await import(url.href)) as Record<string, unknown>
    const Ctor = mod[cls] as (new (opts: Record<string, unknown>) => Sampler) | undefined
    if (typeof Ctor === 'function') registerSampler(name, ({ seed, options }) => new Ctor({ seed, ...options }))
  }
}

/** A parsed sampler spec: registry name, options and the label used in results (the spec text). */
export interface SamplerSpec {
  readonly name: string
  readonly label: string
  readonly options: Readonly<Record<string, string | number | boolean>>
}

/** Parses `name` or `name(key=value key=value)`; throws a UsageError for an unknown name or a bad option. */
export function parseSamplerSpec(spec: string): SamplerSpec {
  const m = /^([\w-]+)(?:\((.*)\))?$/.exec(spec.trim())
  if (!m) throw new UsageError(`Sampler spec "${spec}" is malformed. Use name or name(key=value ...).`)
  const [, name, args] = m
  if (!registry.has(name)) throw new UsageError(`Unknown sampler "${name}". Registered: ${samplerNames().join(', ')}.`)
  const options: Record<string, string | number | boolean> = {}
  for (const part of (args ?? '').split(/[\s;]+/).filter(Boolean)) {
    const kv = /^(\w+)=(.+)$/.exec(part)
    if (!kv) throw new UsageError(`Sampler option "${part}" in "${spec}" is not key=value.`)
    const v = kv[2]
    options[kv[1]] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v)
  }
  return { name, label: spec.trim(), options }
}

/** Builds the sampler of a spec for one run. */
export function createSampler(spec: SamplerSpec, ctx: Omit<SamplerFactoryContext, 'options'>): Sampler {
  return registry.get(spec.name)!({ ...ctx, options: spec.options })
}

/** Splits a comma-separated list of specs, ignoring commas inside parentheses. */
export function splitSpecs(list: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of list) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}
