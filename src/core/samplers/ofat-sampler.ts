import {
  containsValue,
  type Distribution,
  finiteValues,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../distributions/distribution.ts'
import { evenlySpacedValues } from '../distributions/levels.ts'
import { samplePrior } from '../distributions/sample-prior.ts'
import { SearchSpaceError } from '../errors.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { QueuedPointsSampler } from './finite-points.ts'
import type { SamplingContext } from './sampler.ts'

/** Options of `OfatSampler`. */
export interface OfatSamplerOptions {
  /** The parameters to sweep. */
  readonly space: SearchSpace
  /** A known-good configuration with a legal value for every parameter of `space`. */
  readonly baseline: ParamValues
  /**
   * Values per numeric parameter, the baseline's included: levels − 1 new values, evenly spaced over the range
   * (log-spaced for log parameters). A finite parameter with fewer values, and a categorical, tries each. @default 5
   */
  readonly levels?: number
  /**
   * Queue the baseline itself, as the study's baseline unless `Study.create` is given another (false when the caller
   * queues it, as `winnow tune` does). @default true
   */
  readonly includeBaseline?: boolean
}

const OPTION_NAMES = {
  space: true,
  baseline: true,
  levels: true,
  includeBaseline: true,
} satisfies OptionNames<OfatSamplerOptions>

/**
 * A one-factor-at-a-time sweep: the baseline once, then each parameter varied alone over a few levels while the
 * others keep their baseline values. It costs 1 + Σ (levels_p − 1) trials, shows how sensitive the objective is to
 * each parameter around a known-good point (see `sensitivity`), and misses every interaction (e.g. learning rate ×
 * batch size). Finite like GridSampler: every point is queued when the study is created, each is claimed by one
 * worker, and `isExhausted` ends the study.
 *
 * @example
 * const sampler = new OfatSampler({ space, baseline: { lr: 2e-4, r: 16 }, levels: 5 })
 * const study = await Study.create({ storage, name: 'sweep', sampler }) // trial #0, { lr: 2e-4, r: 16 }, is its baseline
 */
export class OfatSampler extends QueuedPointsSampler {
  readonly name = 'ofat'
  protected readonly names: string[]
  protected readonly points: ParamValues[]
  private readonly baseline: ParamValues
  private readonly includesBaseline: boolean

  constructor(opts: OfatSamplerOptions) {
    super()
    checkOptionNames('OfatSampler', opts, OPTION_NAMES)
    const levels = opts.levels ?? 5
    if (!Number.isInteger(levels) || levels < 2)
      throw new SearchSpaceError(`OfatSampler levels must be a whole number >= 2, but got ${levels}. Try 5.`)
    this.names = Object.keys(opts.space)
    const missing = this.names.filter((n) => !Object.hasOwn(opts.baseline, n))
    if (missing.length > 0)
      throw new SearchSpaceError(
        `OfatSampler needs a baseline value for every parameter, but ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} none. Add ${missing.length === 1 ? 'it' : 'them'} to the baseline.`,
      )
    for (const n of this.names)
      if (!containsValue(opts.space[n], opts.baseline[n]))
        throw new SearchSpaceError(
          `OfatSampler baseline value ${JSON.stringify(opts.baseline[n])} of "${n}" is not a legal value of its distribution. Use a value inside the space.`,
        )
    this.baseline = Object.fromEntries(this.names.map((n) => [n, opts.baseline[n]]))
    this.includesBaseline = opts.includeBaseline !== false
    this.points = this.includesBaseline ? [this.baseline] : []
    for (const n of this.names)
      for (const v of sweepValues(opts.space[n], this.baseline[n], levels))
        this.points.push({ ...this.baseline, [n]: v })
  }

  /** The sweep's centre is the study's baseline, so gains are measured from it (when this sweep queues it). */
  initialBaseline(): ParamValues | undefined {
    return this.includesBaseline ? this.baseline : undefined
  }

  /**
   * A parameter outside the swept points keeps its baseline value when it has one; otherwise (a conditional
   * parameter that a swept value switches on) it is drawn from its prior.
   */
  sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue {
    if (Object.hasOwn(this.baseline, param) && containsValue(distribution, this.baseline[param]))
      return this.baseline[param]
    return samplePrior(distribution, ctx.rng)
  }
}

/**
 * The values a sweep tries for one parameter besides the baseline's: every other choice of a categorical or of a
 * finite parameter with at most `levels` values; otherwise `levels` evenly spaced values (in log space for log
 * parameters) with the one nearest the baseline dropped, since the baseline stands in for it.
 */
export function sweepValues(d: Distribution, baseline: ParamValue, levels: number): ParamValue[] {
  if (d.kind === 'categorical') return d.choices.filter((c) => c !== baseline)
  const all = finiteValues(d)
  if (all !== undefined && all.length <= levels) return all.filter((v) => v !== baseline)
  const t = (v: number) => (d.log ? Math.log(v) : v)
  const grid = evenlySpacedValues(d, levels)
  const b = t(baseline as number)
  let nearest = 0
  for (let i = 1; i < grid.length; i++) if (Math.abs(t(grid[i]) - b) < Math.abs(t(grid[nearest]) - b)) nearest = i
  return grid.filter((v, i) => i !== nearest && v !== baseline)
}
