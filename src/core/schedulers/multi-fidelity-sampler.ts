import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import type { Sampler, SamplingContext } from '../samplers/sampler.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { fidelityHistory } from './fidelity-history.ts'
import type { Scheduler } from './scheduler.ts'
import { checkInt, checkThat } from './scheduler-options.ts'

/** Options of `MultiFidelitySampler`. */
export interface MultiFidelitySamplerOptions {
  /** Fidelity levels, lowest first, ending with full fidelity; or a scheduler that has `rungResources()`. */
  readonly levels: readonly number[] | Scheduler
  /** Observations a level needs before the model is fitted on it. @default number of parameters + 1 */
  readonly minPoints?: number
}

const OPTION_NAMES = { levels: true, minPoints: true } satisfies OptionNames<MultiFidelitySamplerOptions>

/**
 * Wraps any sampler so that it models the highest rung with enough observations instead of only the trials that
 * ran to the end: BOHB's idea (Falkner et al. 2018) with Winnow's samplers. Pair it with a multi-fidelity scheduler:
 *
 * @example
 * const scheduler = new SuccessiveHalvingScheduler({ resource: { min: 5, max: 100, reductionFactor: 3 } })
 * const sampler = new MultiFidelitySampler(new TpeSampler({ seed: 1 }), { levels: scheduler })
 *
 * The seam is the sampling context's history: the wrapped sampler sees `fidelityHistory(history, levels)`, in
 * which trials observed at the chosen level are COMPLETE with their value there. Nothing else changes, so every
 * sampler works unmodified.
 */
export class MultiFidelitySampler implements Sampler {
  readonly name: string
  private readonly levels: readonly number[]
  private readonly minPoints: number | undefined
  // Study.ask hands the same history array to every call for one trial; build its view once.
  private readonly views = new WeakMap<readonly FrozenTrial[], readonly FrozenTrial[]>()

  constructor(
    readonly inner: Sampler,
    opts: MultiFidelitySamplerOptions,
  ) {
    checkOptionNames('MultiFidelitySampler', opts, OPTION_NAMES)
    const levels = Array.isArray(opts.levels) ? opts.levels : (opts.levels as Scheduler).rungResources?.()
    checkThat(
      levels !== undefined && levels.length > 0,
      'MultiFidelitySampler',
      'levels',
      'needs fidelity levels or a multi-fidelity scheduler (successive halving, Hyperband). Pass levels: [10, 30, 100].',
    )
    this.levels = [...(levels as readonly number[])]
    this.minPoints =
      opts.minPoints === undefined ? undefined : checkInt('MultiFidelitySampler', 'minPoints', opts.minPoints, 1)
    this.name = `multi-fidelity(${inner.name})`
  }

  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    return this.inner.inferRelativeSpace(this.view(ctx))
  }

  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    return this.inner.sampleRelative(this.view(ctx), space)
  }

  sampleIndependent(ctx: SamplingContext, param: string, distribution: Distribution): ParamValue {
    return this.inner.sampleIndependent(this.view(ctx), param, distribution)
  }

  afterTrial(ctx: SamplingContext, finished: FrozenTrial): void {
    this.inner.afterTrial?.(this.view(ctx), finished)
  }

  private view(ctx: SamplingContext): SamplingContext {
    let history = this.views.get(ctx.history)
    if (history === undefined) {
      history = fidelityHistory(ctx.history, this.levels, { minPoints: this.minPoints }).history
      this.views.set(ctx.history, history)
    }
    return { ...ctx, history }
  }
}
