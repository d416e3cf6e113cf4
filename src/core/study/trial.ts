import {
  type CategoricalChoice,
  containsValue,
  type Distribution,
  isSingleValued,
  onlyValue,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
  sameDistribution,
  validateDistribution,
} from '../distributions/distribution.ts'
import { SearchSpaceError, TrialStateError, WinnowError } from '../errors.ts'
import type { Json } from '../json.ts'
import { checkOptionNames, describeValue, type OptionNames } from '../option-names.ts'
import type { Sampler, SamplingContext } from '../samplers/sampler.ts'
import type { Decision } from '../schedulers/scheduler.ts'
import type { FrozenTrial, TrialId } from '../trial/frozen-trial.ts'

/** What a live trial needs from its study; keeps Trial independent of Study's other duties. */
export interface TrialHost {
  readonly sampler: Sampler
  flushParams(trial: TrialId, params: ParamValues, distributions: Readonly<Record<string, Distribution>>): Promise<void>
  report(trial: Trial, step: number, value: number): Promise<Decision>
  setUserAttrs(trial: TrialId, attrs: Readonly<Record<string, Json>>): Promise<void>
}

/** The options of suggestFloat / suggestInt (a typo such as `lgo: true` would silently sample linearly). */
const RANGE_OPTION_NAMES = { log: true, step: true } satisfies OptionNames<{ log?: boolean; step?: number }>

/**
 * The options of suggestFloat / suggestInt must be an object: Python's positional `suggest_float(name, low, high, True)`
 * habit would otherwise be read as no options and sample linearly.
 */
function checkRangeOptions(method: 'suggestFloat' | 'suggestInt', name: string, opts: unknown): void {
  const owner = `${method}("${name}")`
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    throw new WinnowError(
      'invalid_config',
      `${owner} options must be an object like { log: true } or { step: 4 }, but got ${describeValue(opts)}. A positional flag is not read as log: write ${method}(name, low, high, { log: true }).`,
    )
  checkOptionNames(owner, opts, RANGE_OPTION_NAMES)
}

/** Thrown by an objective to end its trial as PRUNED (`Study.optimize` records it, it is not a failure). */
export class TrialPruned extends Error {
  constructor(readonly reason = 'pruned by the objective') {
    super(reason)
    this.name = 'TrialPruned'
  }
}

/**
 * A running trial, handed out by `Study.ask`. Define-by-run: each `suggest*` call declares a parameter and
 * returns its value at once (synchronously); values are written to storage in one batch at the next
 * `report`, `flush` or `tell`, so suggestions cost no round trip.
 */
export class Trial {
  private readonly params: Record<string, ParamValue> = {}
  private readonly distributions: Record<string, Distribution> = {}
  private unflushed = new Set<string>()
  private told = false

  constructor(
    private readonly host: TrialHost,
    private readonly ctx: SamplingContext,
    /** Values fixed in advance (enqueued baseline, grid point, retry). */
    private readonly fixed: ParamValues,
    private readonly relativeSpace: SearchSpace,
    private readonly relativeParams: ParamValues,
  ) {
    for (const [name, value] of Object.entries(ctx.trial.params)) {
      this.params[name] = value
      this.distributions[name] = ctx.trial.distributions[name]
    }
  }

  /** Storage-wide trial id. */
  get id(): TrialId {
    return this.ctx.trial.id
  }

  /** Per-study trial number (0, 1, 2, …). */
  get number(): number {
    return this.ctx.trial.number
  }

  /** The snapshot taken when the trial was asked. */
  get frozen(): FrozenTrial {
    return this.ctx.trial
  }

  /** Parameters suggested so far. */
  get suggested(): ParamValues {
    return { ...this.params }
  }

  /** Distributions of the parameters suggested so far. */
  get suggestedDistributions(): Readonly<Record<string, Distribution>> {
    return { ...this.distributions }
  }

  /** Suggests a float in [low, high]; `log` samples in log space, `step` discretises. */
  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    checkRangeOptions('suggestFloat', name, opts)
    const d: Distribution = {
      kind: 'float',
      low,
      high,
      log: opts.log ?? false,
      ...(opts.step !== undefined ? { step: opts.step } : {}),
    }
    return this.suggest(name, d) as number
  }

  /** Suggests an integer in [low, high]. */
  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    checkRangeOptions('suggestInt', name, opts)
    return this.suggest(name, { kind: 'int', low, high, log: opts.log ?? false, step: opts.step ?? 1 }) as number
  }

  /** Suggests one of `choices`. */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { kind: 'categorical', choices }) as T
  }

  /** Suggests a value for a parameter with any distribution; the same name returns the same value again. */
  suggest(name: string, d: Distribution): ParamValue {
    if (this.told)
      throw new TrialStateError(
        `Trial #${this.number} is already finished (told), so "${name}" cannot be suggested for it. Suggest every parameter before study.tell().`,
      )
    validateDistribution(name, d)
    const previous = this.distributions[name]
    if (previous !== undefined) {
      if (!sameDistribution(previous, d))
        throw new SearchSpaceError(
          `Parameter "${name}" was already suggested in trial #${this.number} with a different distribution. Use one distribution per parameter name.`,
        )
      return this.params[name]
    }
    let value: ParamValue
    if (Object.hasOwn(this.fixed, name)) {
      value = this.fixed[name]
      if (!containsValue(d, value))
        throw new SearchSpaceError(
          `Enqueued value ${JSON.stringify(value)} for "${name}" in trial #${this.number} is outside its distribution. Fix the baseline or the space.`,
        )
    } else if (isSingleValued(d)) {
      // Nothing to choose: no sampler sees a one-value distribution (a zero-width range breaks density models).
      value = onlyValue(d)
    } else if (
      name in this.relativeSpace &&
      sameDistribution(this.relativeSpace[name], d) &&
      name in this.relativeParams
    ) {
      value = this.relativeParams[name]
    } else {
      value = this.host.sampler.sampleIndependent(this.ctx, name, d)
    }
    this.params[name] = value
    this.distributions[name] = d
    this.unflushed.add(name)
    return value
  }

  /** Writes pending suggestions to storage. */
  async flush(): Promise<void> {
    if (this.unflushed.size === 0) return
    const names = [...this.unflushed]
    this.unflushed = new Set()
    await this.host.flushParams(
      this.id,
      Object.fromEntries(names.map((n) => [n, this.params[n]])),
      Object.fromEntries(names.map((n) => [n, this.distributions[n]])),
    )
  }

  /**
   * Reports the objective's value at a step and returns the scheduler's decision. On `prune`, end the
   * objective (throw `new TrialPruned(decision.reason)`).
   */
  async report(step: number, value: number): Promise<Decision> {
    await this.flush()
    return this.host.report(this, step, value)
  }

  /** Names fixed in advance (an enqueued baseline, a grid point) that were never suggested: a misspelled key. */
  unusedFixedParams(): string[] {
    return Object.keys(this.fixed).filter((name) => !Object.hasOwn(this.params, name))
  }

  /** @internal Called by `Study.tell`: no suggestion may follow. */
  markTold(): void {
    this.told = true
  }

  /** Sets user attributes (JSON values). */
  async setUserAttrs(attrs: Readonly<Record<string, Json>>): Promise<void> {
    await this.host.setUserAttrs(this.id, attrs)
  }
}
