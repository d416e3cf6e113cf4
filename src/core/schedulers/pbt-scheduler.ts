import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import { snapToGrid, validateDistribution } from '../distributions/distribution.ts'
import { samplePrior } from '../distributions/sample-prior.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { createRng, deriveSeed, type Rng } from '../rng.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { directionOf, lastStep, previousStep, valueReached } from './history.ts'
import type { Decision, Scheduler, SchedulingContext } from './scheduler.ts'
import { checkInt, checkNumber, checkThat } from './scheduler-options.ts'

/** Options of `PbtScheduler`. */
export interface PbtSchedulerOptions {
  /** Exploit/explore every this many steps (in the unit trials report as `step`). */
  readonly interval: number
  /** The parameters to perturb, with their ranges; others are copied from the donor unchanged. */
  readonly space: SearchSpace
  /** Bottom and top fraction of the population: the bottom copies from the top. @default 0.25 */
  readonly quantile?: number
  /** Multipliers for numeric parameters, one drawn per parameter. @default [0.8, 1.2] */
  readonly perturbFactors?: readonly [number, number]
  /** Chance that a parameter is redrawn from its prior instead of perturbed. @default 0.25 */
  readonly resampleProbability?: number
  /** No exploitation at a boundary that fewer trials have reached. @default 4 */
  readonly minPopulation?: number
  /** Seed of the donor choice and the perturbations. @default 0 */
  readonly seed?: number
  /**
   * The step at which trials end (full fidelity): no exploitation at or past it, where a copy would have
   * nothing left to train and the trial's finished result would be thrown away. @default Infinity
   */
  readonly max?: number
}

const OPTION_NAMES = {
  interval: true,
  space: true,
  quantile: true,
  perturbFactors: true,
  resampleProbability: true,
  minPopulation: true,
  seed: true,
  max: true,
} satisfies OptionNames<PbtSchedulerOptions>

/**
 * Population-based training (Jaderberg et al. 2017), as a scheduler. Each time a trial's reports cross a multiple
 * of `interval`, the trials that reached that boundary are ranked by their value there; a trial in the bottom
 * `quantile` gets a `continue` decision carrying `exploit: { fromTrial, params }`: the runner must restart it
 * from `fromTrial`'s latest checkpoint with `params`, a perturbation of the donor's parameters. Top-quantile trials
 * and trials in the middle just continue; nothing is pruned or paused, and nothing is exploited at `max`. A
 * trial the runner created from an exploit (`systemAttrs.pbt`) is neither ranked nor exploited again at
 * boundaries up to the step it started from, as Ray Tune waits a full interval after each perturbation.
 *
 * The random choices are seeded from (seed, trial number, boundary), so decisions depend only on the history.
 */
export class PbtScheduler implements Scheduler {
  readonly name = 'pbt'
  private readonly interval: number
  private readonly quantile: number
  private readonly factors: readonly [number, number]
  private readonly resampleProbability: number
  private readonly minPopulation: number
  private readonly seed: number
  private readonly space: SearchSpace
  private readonly max: number

  constructor(opts: PbtSchedulerOptions) {
    checkOptionNames('PbtScheduler', opts, OPTION_NAMES)
    const owner = 'PbtScheduler'
    this.interval = checkNumber(owner, 'interval', opts.interval, { min: 0, open: true })
    this.quantile = checkNumber(owner, 'quantile', opts.quantile ?? 0.25, { min: 0, max: 0.5, open: true })
    const f = opts.perturbFactors ?? [0.8, 1.2]
    checkThat(
      Array.isArray(f) && f.length === 2 && f.every((x) => x > 0),
      owner,
      'perturbFactors',
      `must be two numbers > 0, but got ${JSON.stringify(f)}.`,
    )
    this.factors = [f[0], f[1]]
    this.resampleProbability = checkNumber(owner, 'resampleProbability', opts.resampleProbability ?? 0.25, {
      min: 0,
      max: 1,
    })
    this.minPopulation = checkInt(owner, 'minPopulation', opts.minPopulation ?? 4, 2)
    this.seed = checkInt(owner, 'seed', opts.seed ?? 0, 0)
    this.max =
      opts.max === undefined ? Number.POSITIVE_INFINITY : checkNumber(owner, 'max', opts.max, { min: 0, open: true })
    checkThat(
      typeof opts.space === 'object' && opts.space !== null,
      owner,
      'space',
      'is required: the parameters to perturb.',
    )
    for (const [name, d] of Object.entries(opts.space)) validateDistribution(name, d)
    this.space = opts.space
  }

  decide(ctx: SchedulingContext, trial: FrozenTrial): Decision {
    const step = lastStep(trial)
    if (step === undefined) return { action: 'continue' }
    const boundary = Math.floor(step / this.interval + 1e-9) * this.interval
    if (boundary <= 0 || boundary >= this.max || previousStep(trial) >= boundary || bornAt(trial) >= boundary)
      return { action: 'continue' }
    // A trial born from an exploit at or after this boundary has no value of its own here (its start is a copy).
    const group = [...ctx.history.filter((t) => t.id !== trial.id && t.state !== 'FAIL'), trial].filter(
      (t) => bornAt(t) < boundary,
    )
    const sign = directionOf(ctx) === 'minimize' ? 1 : -1
    const ranked = group
      .map((t) => ({ t, v: valueReached(t, boundary) }))
      .filter((x): x is { t: FrozenTrial; v: number } => x.v !== undefined && !Number.isNaN(x.v))
      .sort((a, b) => sign * (a.v - b.v) || a.t.number - b.t.number)
    if (ranked.length < this.minPopulation) return { action: 'continue' }
    const cut = Math.max(1, Math.floor(ranked.length * this.quantile))
    const position = ranked.findIndex((x) => x.t.id === trial.id)
    if (position < ranked.length - cut) return { action: 'continue' }
    const rng = createRng(deriveSeed(this.seed, trial.number, boundary))
    const donor = ranked[rng.int(0, cut - 1)].t
    return {
      action: 'continue',
      exploit: { fromTrial: donor.id, params: this.perturb(donor.params, rng), step: boundary },
      reason: `bottom ${cut} of ${ranked.length} at step ${boundary}; copies trial #${donor.number}`,
    }
  }

  /** The donor's parameters with each parameter of the space perturbed or redrawn. */
  private perturb(params: ParamValues, rng: Rng): ParamValues {
    const out: Record<string, ParamValue> = { ...params }
    for (const [name, d] of Object.entries(this.space)) {
      if (!Object.hasOwn(params, name)) continue
      out[name] = rng.random() < this.resampleProbability ? samplePrior(d, rng) : this.nudge(d, params[name], rng)
    }
    return out
  }

  private nudge(d: Distribution, value: ParamValue, rng: Rng): ParamValue {
    if (d.kind === 'categorical') {
      // Categories have no scale: step to a neighbouring choice in the declared order.
      const i = Math.max(0, d.choices.indexOf(value))
      const j = Math.min(d.choices.length - 1, Math.max(0, i + (rng.random() < 0.5 ? -1 : 1)))
      return d.choices[j]
    }
    const factor = this.factors[rng.random() < 0.5 ? 0 : 1]
    const x = Math.min(d.high, Math.max(d.low, (value as number) * factor))
    return d.kind === 'int' || d.step !== undefined ? snapToGrid(d, x) : x
  }
}

/**
 * The step a trial started from when the runner created it from an exploit (`systemAttrs.pbt`: the boundary and
 * the step of the copied checkpoint), or -Infinity for a trial trained from scratch.
 */
function bornAt(t: FrozenTrial): number {
  const pbt = t.systemAttrs.pbt
  if (pbt === null || typeof pbt !== 'object' || Array.isArray(pbt)) return Number.NEGATIVE_INFINITY
  const { step, checkpointStep } = pbt as { readonly [key: string]: unknown }
  const steps = [step, checkpointStep].filter((s): s is number => typeof s === 'number')
  return steps.length > 0 ? Math.max(...steps) : Number.NEGATIVE_INFINITY
}
