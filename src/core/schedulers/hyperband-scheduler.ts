import { WinnowError } from '../errors.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { bracketCount, type ResolvedResource, type Resource, resolveResource } from './resource.ts'
import type { Decision, Promotion, Scheduler, SchedulingContext } from './scheduler.ts'
import { type HalvingMode, SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

/** Options of `HyperbandScheduler`. */
export interface HyperbandSchedulerOptions {
  /** The resource ladder; bracket b starts at min·η^b. */
  readonly resource: Resource
  /** How each bracket's successive halving acts at a rung. @default 'stopping' */
  readonly mode?: HalvingMode
  /** Reports averaged into a rung value in every bracket (see `SuccessiveHalvingSchedulerOptions.smoothing`). @default 1 */
  readonly smoothing?: number
  /**
   * How many brackets to run, the most aggressive first (1 = plain successive halving from `min`). Fewer brackets
   * spend less on trials that run long unjudged, and hedge less against a `min` too small to rank them.
   * @default all s_max + 1
   */
  readonly brackets?: number
}

const OPTION_NAMES = {
  resource: true,
  mode: true,
  smoothing: true,
  brackets: true,
} satisfies OptionNames<HyperbandSchedulerOptions>

/**
 * Hyperband: several successive-halving brackets side by side, from aggressive (first rung at `min`) to
 * conservative (first rung near `max`), hedging against a `min` that is too small to rank trials. Bracket b
 * (b = 0 … s_max, s_max = floor(log_η(max/min))) runs successive halving with minimum early-stopping rate b and
 * receives trials in proportion to Li et al.'s bracket sizes n_b = ceil((s_max + 1) / (s_max − b + 1) · η^(s_max − b)).
 *
 * A trial's bracket depends only on its number (`bracketOf`), spread by a smooth weighted round-robin so that
 * every window of Σn_b consecutive trials holds exactly n_b of bracket b; a retry stays in the bracket of the trial it
 * retries. Trials compete only within their bracket.
 *
 * @example
 * const hb = new HyperbandScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 } })
 */
export class HyperbandScheduler implements Scheduler {
  readonly name: string
  readonly resource: ResolvedResource
  /** One successive-halving scheduler per bracket. */
  readonly brackets: readonly SuccessiveHalvingScheduler[]
  /** Li et al.'s n_b per bracket. */
  readonly bracketSizes: readonly number[]
  readonly pauses: boolean
  private readonly cycle: readonly number[]

  constructor(opts: HyperbandSchedulerOptions) {
    checkOptionNames('HyperbandScheduler', opts, OPTION_NAMES)
    this.resource = resolveResource('HyperbandScheduler', opts.resource)
    const n = bracketCount(this.resource)
    const k = opts.brackets ?? n
    if (!Number.isInteger(k) || k < 1)
      throw new WinnowError('invalid_config', `HyperbandScheduler brackets must be a whole number >= 1, but got ${k}.`)
    const used = Math.min(k, n)
    const eta = this.resource.reductionFactor
    this.brackets = Array.from(
      { length: used },
      (_, b) =>
        new SuccessiveHalvingScheduler(
          { resource: opts.resource, mode: opts.mode, minEarlyStoppingRate: b, smoothing: opts.smoothing },
          'HyperbandScheduler',
        ),
    )
    this.pauses = this.brackets[0].pauses
    this.bracketSizes = Array.from({ length: used }, (_, b) => {
      const s = n - 1 - b
      return Math.ceil((n / (s + 1)) * eta ** s - 1e-9)
    })
    this.cycle = smoothRoundRobin(this.bracketSizes)
    this.name = `hyperband-${this.brackets[0].mode}`
  }

  /** The bracket of the trial with this number. */
  bracketOf(trialNumber: number): number {
    return this.cycle[trialNumber % this.cycle.length]
  }

  /** Rung resources of the most aggressive bracket (every rung of any bracket), then full fidelity. */
  rungResources(): readonly number[] {
    return this.brackets[0].rungResources()
  }

  /**
   * The bracket a trial runs in: its own number's, or for a retry (`systemAttrs.retryRoot`, set by the runner) the
   * bracket of the trial it continues, whose checkpoint, rung and target it carries.
   */
  bracketOfTrial(trial: FrozenTrial): number {
    const root = trial.systemAttrs.retryRoot ?? trial.systemAttrs.retryOf
    return this.bracketOf(typeof root === 'number' && Number.isInteger(root) && root >= 0 ? root : trial.number)
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const b = this.bracketOfTrial(trial)
    return this.brackets[b].decide(this.inBracket(ctx, b), trial)
  }

  promotions(ctx: SchedulingContext): readonly Promotion[] {
    const all = this.brackets.flatMap((s, b) => s.promotions(this.inBracket(ctx, b)))
    // Higher targets first (closest to a finished result), as within one bracket; stable otherwise.
    return all
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p.target - a.p.target || a.i - b.i)
      .map((x) => x.p)
  }

  initialTarget(_ctx: SchedulingContext, trial: FrozenTrial): number | undefined {
    return this.brackets[this.bracketOfTrial(trial)].initialTarget()
  }

  private inBracket(ctx: SchedulingContext, b: number): SchedulingContext {
    return { study: ctx.study, history: ctx.history.filter((t) => this.bracketOfTrial(t) === b) }
  }
}

/** Nginx's smooth weighted round-robin: a cycle of Σw slots with w_i slots for i, spread evenly. */
function smoothRoundRobin(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0)
  const current = weights.map(() => 0)
  const out: number[] = []
  for (let k = 0; k < total; k++) {
    let best = 0
    for (let i = 0; i < weights.length; i++) {
      current[i] += weights[i]
      if (current[i] > current[best]) best = i
    }
    current[best] -= total
    out.push(best)
  }
  return out
}
