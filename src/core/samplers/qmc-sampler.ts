import {
  type Distribution,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  snapToGrid,
} from '../distributions/distribution.ts'
import { samplePrior } from '../distributions/sample-prior.ts'
import { SOBOL_MAX_DIMENSION, SobolSequence } from '../math/sobol.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { createRng, deriveSeed } from '../rng.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import type { Sampler, SamplingContext } from './sampler.ts'

/** Options of `QmcSampler`. */
export interface QmcSamplerOptions {
  /** Scramble the sequence (seeded from the study seed). Unscrambled Sobol starts at the corner 0. @default true */
  readonly scramble?: boolean
}

/** Salt that separates the scramble's random stream from the per-trial streams of the same study seed. */
const SCRAMBLE_SALT = 0x51c0b01

const OPTION_NAMES = { scramble: true } satisfies OptionNames<QmcSamplerOptions>

/**
 * Quasi-Monte Carlo search with a scrambled Sobol sequence: space-filling where random search leaves gaps and
 * clusters. As in Optuna, the space is fixed by the first COMPLETE trial (sampled at random, since define-by-run
 * spaces are only known after one run); later trials take point number `trial.number` of the sequence, so
 * parallel workers draw distinct points with no coordination, and the scramble is seeded from the study seed.
 * Unit coordinates map to each distribution's prior (log-uniform for log, equal cells per grid value or choice).
 * Parameters outside that space, and any beyond the sequence's dimension limit, are sampled at random.
 */
export class QmcSampler implements Sampler {
  readonly name = 'qmc'
  private readonly scramble: boolean
  private cached: { seed: number; dim: number; seq: SobolSequence } | undefined

  constructor(opts: QmcSamplerOptions = {}) {
    checkOptionNames('QmcSampler', opts, OPTION_NAMES)
    this.scramble = opts.scramble ?? true
  }

  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    const first = firstComplete(ctx.history)
    if (first === undefined) return {}
    const names = Object.keys(first.distributions)
      .filter((n) => !isSingleValued(first.distributions[n]))
      .sort()
      .slice(0, SOBOL_MAX_DIMENSION)
    return Object.fromEntries(names.map((n) => [n, first.distributions[n]]))
  }

  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    // The point's coordinates follow the first trial's (sorted) parameter order, whatever subset is asked for.
    const full = this.inferRelativeSpace(ctx)
    const names = Object.keys(full)
    if (names.length === 0) return {}
    const seed = typeof ctx.study.systemAttrs.seed === 'number' ? ctx.study.systemAttrs.seed : 0
    const u = this.sequence(seed, names.length).at(ctx.trial.number)
    const out: Record<string, ParamValue> = {}
    names.forEach((n, i) => {
      if (Object.hasOwn(space, n)) out[n] = fromUnit(space[n], u[i])
    })
    return out
  }

  sampleIndependent(ctx: SamplingContext, _param: string, distribution: Distribution): ParamValue {
    return samplePrior(distribution, ctx.rng)
  }

  private sequence(seed: number, dim: number): SobolSequence {
    if (this.cached?.seed === seed && this.cached.dim === dim) return this.cached.seq
    const rng = createRng(deriveSeed(seed, SCRAMBLE_SALT))
    const seq = new SobolSequence(dim, this.scramble ? { random: () => rng.random() } : { scramble: false })
    this.cached = { seed, dim, seq }
    return seq
  }
}

function firstComplete(history: readonly FrozenTrial[]): FrozenTrial | undefined {
  let first: FrozenTrial | undefined
  for (const t of history) if (t.state === 'COMPLETE' && (first === undefined || t.number < first.number)) first = t
  return first
}

/** Maps u ∈ [0, 1) to a value of `d` so that a uniform u gives the distribution's prior. */
export function fromUnit(d: Distribution, u: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))]
  if (d.log) {
    // Ints widen by half a unit on each side so the end points get their fair share (as the random prior does).
    const lo = Math.log(d.kind === 'int' ? d.low - 0.5 : d.low)
    const hi = Math.log(d.kind === 'int' ? d.high + 0.5 : d.high)
    return snapToGrid(d, Math.exp(lo + u * (hi - lo)))
  }
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  if (step !== undefined) {
    const n = Math.floor((d.high - d.low) / step + 1e-9) + 1
    return snapToGrid(d, d.low + Math.min(n - 1, Math.floor(u * n)) * step)
  }
  return snapToGrid(d, d.low + u * (d.high - d.low))
}
