/**
 * Samplers the benchmark can run, by name. Each entry is a factory, so a new sampler is one line:
 * `registerSampler('gp', ({ seed }) => new GpSampler({ seed }))`. A spec may carry options in parentheses,
 * `tpe(nEiCandidates=48 multivariate=false)`, passed to the factory (numbers, booleans and strings).
 */
import { UsageError } from '../../src/core/errors.ts'
import { AutoSampler, type AutoSamplerOptions } from '../../src/core/samplers/auto-sampler.ts'
import { CmaEsSampler, type CmaEsSamplerOptions } from '../../src/core/samplers/cmaes/cmaes-sampler.ts'
import type { GpSamplerOptions } from '../../src/core/samplers/gp/gp-options.ts'
import { GpSampler } from '../../src/core/samplers/gp/gp-sampler.ts'
import { Nsga2Sampler, type Nsga2SamplerOptions } from '../../src/core/samplers/nsga2/nsga2-sampler.ts'
import { QmcSampler, type QmcSamplerOptions } from '../../src/core/samplers/qmc-sampler.ts'
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

// The run's seed is mixed into the GP's startup sequence (`seed` option) as it always was, so recorded numbers replay;
// the other samplers draw from the study's seed alone and take no `seed` option.
registerSampler('gp', ({ seed, options }) => new GpSampler({ seed, ...(options as GpSamplerOptions) }))
registerSampler('auto', ({ seed, options }) => new AutoSampler({ seed, ...(options as AutoSamplerOptions) }))
registerSampler('cmaes', ({ options }) => new CmaEsSampler(options as CmaEsSamplerOptions))
registerSampler('nsga2', ({ options }) => new Nsga2Sampler(options as Nsga2SamplerOptions))
registerSampler('qmc', ({ options }) => new QmcSampler(options as QmcSamplerOptions))

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
