import { bestTrial, isInfeasibleResult, paretoFront } from '../analysis/pareto.ts'
import type { Distribution, ParamValues, SearchSpace } from '../distributions/distribution.ts'
import { SamplerExhaustedError, StudyNotFoundError, TrialStateError, WinnowError } from '../errors.ts'
import type { Json } from '../json.ts'
import { checkOptionNames } from '../option-names.ts'
import { createRng, deriveSeed } from '../rng.ts'
import { AutoSampler } from '../samplers/auto-sampler.ts'
import type { Sampler, SamplingContext } from '../samplers/sampler.ts'
import { type Decision, noScheduler, type Scheduler, type SchedulingContext } from '../schedulers/scheduler.ts'
import type { Storage, StudyInfo } from '../storage.ts'
import { type Direction, type FrozenTrial, isWithdrawn, type TrialId } from '../trial/frozen-trial.ts'
import type { FinishedState } from '../trial/trial-state.ts'
import { baselineOnlyFailed, existingBaseline } from './baseline-queue.ts'
import { type ObjectiveResult, type OptimizeOptions, runOptimizeLoop } from './optimize.ts'
import { brokenConstraints, checkLoadedSetup, checkTell } from './study-checks.ts'
import {
  CREATE_OPTION_NAMES,
  type CreateStudyOptions,
  LOAD_OPTION_NAMES,
  type LoadStudyOptions,
  TELL_OPTION_NAMES,
  type TellOptions,
} from './study-options.ts'
import { Trial, type TrialHost } from './trial.ts'
import { TrialCache } from './trial-cache.ts'

/**
 * A hyperparameter search: an ask/tell loop over a storage, a sampler and a scheduler.
 *
 * @example
 * const study = await Study.create({ storage: new MemoryStorage(), name: 'quad', seed: 1 })
 * await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { trials: 50 })
 * console.log((await study.bestTrial())?.params)
 */
export class Study implements TrialHost {
  readonly sampler: Sampler
  readonly scheduler: Scheduler
  private readonly cache: TrialCache
  /**
   * Trials asked in this process without a space (their suggestions buffered until told) and not told yet, by number
   * (see `tell`). A trial asked with a space has everything written at ask: the runner's, which it may pause and
   * never tell, are not kept.
   */
  readonly #asked = new Map<number, Trial>()

  private constructor(
    readonly storage: Storage,
    readonly info: StudyInfo,
    sampler: Sampler | undefined,
    scheduler: Scheduler | undefined,
  ) {
    // As `winnow tune` builds it: with a scheduler that stops trials early, TPE (it learns from pruned trials).
    this.sampler = sampler ?? new AutoSampler({ multiFidelity: scheduler !== undefined && scheduler !== noScheduler })
    this.scheduler = scheduler ?? noScheduler
    this.cache = new TrialCache(storage, info.id)
  }

  /**
   * Creates a study (or loads it with `loadIfExists`); a finite sampler's points are queued on creation, its
   * `initialBaseline` (an OFAT sweep's centre) as the baseline when `opts.baseline` is not given.
   */
  static async create(opts: CreateStudyOptions): Promise<Study> {
    checkOptionNames('Study.create', opts, CREATE_OPTION_NAMES)
    const directions = opts.directions ?? ['minimize']
    if (directions.length === 0) throw new WinnowError('invalid_config', 'A study needs at least one direction.')
    const metricNames =
      opts.metricNames ?? (directions.length === 1 ? ['value'] : directions.map((_, i) => `value${i}`))
    if (metricNames.length !== directions.length)
      throw new WinnowError(
        'invalid_config',
        `Study "${opts.name}" has ${directions.length} directions but ${metricNames.length} metric names. Give one name per direction.`,
      )
    const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31)
    const { study, created } = await opts.storage.createStudy(
      {
        name: opts.name,
        directions,
        metricNames,
        userAttrs: opts.userAttrs,
        systemAttrs: { seed, sampler: opts.sampler?.name ?? 'auto', ...opts.systemAttrs },
      },
      { loadIfExists: opts.loadIfExists },
    )
    if (!created) checkLoadedSetup(study, opts)
    const s = new Study(opts.storage, study, opts.sampler, opts.scheduler)
    const baseline = opts.baseline ?? opts.sampler?.initialBaseline?.()
    if (baseline !== undefined) {
      if (created) await s.enqueue(baseline, { baseline: true })
      else if (baselineOnlyFailed(await s.trials())) await s.enqueue(baseline, { baseline: true })
    }
    // A finite sampler's points (grid, sweep) that no trial carries: all of them for a new study; on load, when the
    // caller set the study up (`queueMissingPoints`), those of a study `winnow focus` made or whose space grew.
    if (opts.sampler?.pointsToQueue !== undefined && (created || opts.queueMissingPoints === true))
      for (const params of opts.sampler.pointsToQueue(await s.sampled())) await s.enqueue(params)
    return s
  }

  /** Loads an existing study by name; StudyNotFoundError when it does not exist. */
  static async load(opts: LoadStudyOptions): Promise<Study> {
    checkOptionNames('Study.load', opts, LOAD_OPTION_NAMES)
    const info = await opts.storage.findStudy(opts.name)
    if (info === undefined) {
      const known = (await opts.storage.listStudies()).map((x) => x.name)
      throw new StudyNotFoundError(opts.name, opts.storage.url, known, 'Study.create() makes it')
    }
    return new Study(opts.storage, info, opts.sampler, opts.scheduler)
  }

  get id() {
    return this.info.id
  }
  get name(): string {
    return this.info.name
  }
  get directions(): readonly Direction[] {
    return this.info.directions
  }
  /** The study's seed (stored at creation). */
  get seed(): number {
    const s = this.info.systemAttrs.seed
    return typeof s === 'number' ? s : 0
  }

  /** All trials, read incrementally (only what changed since the last call is fetched). */
  async trials(): Promise<readonly FrozenTrial[]> {
    return this.cache.refresh()
  }

  /**
   * Starts a trial: claims a queued one if any (baseline, grid point, retry), else creates a new one and
   * lets the sampler propose its relative sample. With `space`, every parameter in it is suggested and
   * written before returning (the runner's case: a subprocess needs all values up front). `opts.declared` names
   * the space the caller will suggest without suggesting it (a study file's space, conditional parameters
   * included), so a model-based sampler can follow a space that changed between runs of the study.
   */
  async ask(space?: SearchSpace, opts: { readonly declared?: SearchSpace } = {}): Promise<Trial> {
    let frozen = await this.storage.claimWaitingTrial(this.id)
    const history = (await this.sampled()).filter((t) => t.id !== frozen?.id)
    if (frozen === undefined) {
      if (this.sampler.isExhausted?.(history))
        throw new SamplerExhaustedError(
          `Sampler "${this.sampler.name}" of study "${this.name}" has no configurations left.`,
        )
      frozen = await this.storage.createTrial(this.id, { state: 'RUNNING' })
    }
    let samplerAttrs: Record<string, Json> | undefined
    const ctx: SamplingContext = {
      study: this.info,
      trial: frozen,
      history,
      rng: createRng(deriveSeed(this.seed, frozen.number)),
      ...((space ?? opts.declared) ? { space: space ?? opts.declared } : {}),
      setTrialSystemAttrs: (attrs) => {
        samplerAttrs = { ...samplerAttrs, ...attrs }
      },
    }
    const fixed = (frozen.systemAttrs.fixedParams as ParamValues | undefined) ?? frozen.params
    const relativeSpace = this.sampler.inferRelativeSpace(ctx)
    const free = Object.fromEntries(Object.entries(relativeSpace).filter(([n]) => !Object.hasOwn(fixed, n)))
    const relativeParams = Object.keys(free).length > 0 ? this.sampler.sampleRelative(ctx, free) : {}
    // Written at once so other workers see the sampler's tags (e.g. CMA-ES generations) while the trial runs.
    if (samplerAttrs !== undefined) await this.storage.setTrialAttrs(frozen.id, 'system', samplerAttrs)
    const trial = new Trial(this, ctx, fixed, free, relativeParams)
    if (space === undefined) this.#asked.set(trial.number, trial)
    if (space !== undefined) {
      for (const [name, d] of Object.entries(space)) trial.suggest(name, d)
      await trial.flush()
    }
    return trial
  }

  /**
   * Finishes a trial: COMPLETE with its values, or PRUNED / FAIL via `opts.state`. A NaN value fails the
   * trial (as in Optuna) instead of poisoning the sampler. `trial` is the asked Trial or, as in Optuna, its
   * number within this study (`trial.number`), never the storage id (`trial.id`).
   */
  async tell(trial: Trial | number, values?: ObjectiveResult, opts: TellOptions = {}): Promise<FrozenTrial> {
    checkOptionNames('tell()', opts, TELL_OPTION_NAMES)
    // A number asked in this process is its live Trial: its buffered suggestions are written (Optuna's
    // tell(number) after suggest_* must not store a trial without parameters).
    const live = trial instanceof Trial ? trial : this.#asked.get(trial)
    const frozen = live !== undefined ? live.frozen : await this.trialByNumber(trial as number)
    if (live === undefined && frozen.state === 'WAITING')
      throw new TrialStateError(
        `Trial #${frozen.number} of study "${this.name}" is queued and has not run; tell() finishes a trial that ask() returned.`,
      )
    const id = frozen.id
    const label = `#${frozen.number}`
    const studyId = frozen.studyId
    checkTell(this.info, { label, studyId, state: opts.state ?? 'COMPLETE', values, constraints: opts.constraints })
    if (live !== undefined) await live.flush()
    let state: FinishedState = opts.state ?? 'COMPLETE'
    const systemAttrs: Record<string, Json> = { ...opts.systemAttrs }
    if (opts.constraints !== undefined) {
      systemAttrs.constraints = [...opts.constraints]
      // In plain words for `winnow trials` and the report (the runner passes its own, naming the metrics).
      const broken = brokenConstraints(opts.constraints)
      if (broken !== undefined && systemAttrs.infeasibleReason === undefined) systemAttrs.infeasibleReason = broken
    }
    let vals: number[] | undefined
    if (state === 'COMPLETE') {
      vals = values === undefined ? [] : typeof values === 'number' ? [values] : [...values]
      if (vals.length !== this.directions.length)
        throw new WinnowError(
          'invalid_value',
          `Study "${this.name}" has ${this.directions.length} objective(s) but trial got ${vals.length} value(s). Return one value per direction.`,
        )
      if (vals.some((v) => !Number.isFinite(v))) {
        systemAttrs.failReason = `objective returned a non-finite value ${JSON.stringify(vals.map(String))}`
        state = 'FAIL'
        vals = undefined
      }
    }
    // An asked trial is RUNNING: one re-queued meanwhile (a dead worker's, recovered) must not be finished from
    // the queue (WAITING → PRUNED is for withdrawing unrun configurations only).
    const expectedState =
      state === 'PRUNED' && frozen.state === 'RUNNING' ? ({ expectedState: 'RUNNING' } as const) : {}
    const finished = await this.storage.setTrialState(id, state, { values: vals, systemAttrs, ...expectedState })
    if (live !== undefined) {
      live.markTold()
      this.#asked.delete(live.number)
    }
    this.cache.put(finished)
    if (this.sampler.afterTrial) {
      const history = await this.cache.refresh()
      this.sampler.afterTrial(
        { study: this.info, trial: finished, history, rng: createRng(deriveSeed(this.seed, finished.number, 1)) },
        finished,
      )
    }
    return finished
  }

  /**
   * The trials samplers and schedulers learn from: all but queued configurations withdrawn unrun (`notRun`, see
   * cli/withdraw-queued.ts) — PRUNED without parameters, they would empty TPE's joint space and count as a pruned
   * observation, and a withdrawn sweep point must be queued again if the space grows back.
   */
  private async sampled(): Promise<readonly FrozenTrial[]> {
    return (await this.cache.refresh()).filter((t) => !isWithdrawn(t))
  }

  /** The trial numbered `n` in this study; a clear error for a number it does not have (e.g. a storage id). */
  private async trialByNumber(n: number): Promise<FrozenTrial> {
    const trials = await this.cache.refresh()
    const found = Number.isInteger(n) ? trials.find((t) => t.number === n) : undefined
    if (found !== undefined) return found
    const running = trials.filter((t) => t.state === 'RUNNING').map((t) => `#${t.number}`)
    const has =
      trials.length === 0
        ? 'it has no trials yet'
        : `its trials are #0–#${Math.max(...trials.map((t) => t.number))}, running: ${running.length === 0 ? 'none' : running.slice(0, 20).join(', ')}${running.length > 20 ? ', …' : ''}`
    throw new WinnowError(
      'invalid_value',
      `Study "${this.name}" has no trial #${n} (${has}). tell() takes the Trial that ask() returned or its number within the study (trial.number), not its storage id (trial.id).`,
    )
  }

  /** Runs `trials` trials of an in-process objective, `concurrency` at a time (see `runOptimizeLoop`). */
  async optimize(
    objective: (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>,
    opts: OptimizeOptions,
  ): Promise<void> {
    if (this.scheduler.pauses === true)
      throw new WinnowError(
        'invalid_config',
        `Scheduler "${this.scheduler.name}" pauses trials at rungs and resumes them later, which needs a runner that can stop and restart training (winnow tune). In-process, use mode: 'stopping'.`,
      )
    await runOptimizeLoop(this, objective, opts)
  }

  /**
   * Queues a configuration to be the next trial asked; missing parameters are sampled. With `baseline: true` it is
   * the study's baseline: `winnow status`, `trials`, the report and the dashboard give every result's gain over it.
   * A study has one: the same baseline again returns the queued or finished one (a re-run script does not train it
   * twice; one that failed is queued again), another is refused.
   */
  async enqueue(
    params: ParamValues,
    opts: {
      baseline?: boolean
      userAttrs?: Readonly<Record<string, Json>>
      systemAttrs?: Readonly<Record<string, Json>>
    } = {},
  ) {
    if (opts.baseline) {
      const same = existingBaseline(this.name, await this.trials(), params)
      if (same !== undefined) return same
    }
    return this.storage.createTrial(this.id, {
      state: 'WAITING',
      userAttrs: opts.userAttrs,
      systemAttrs: { ...opts.systemAttrs, ...(opts.baseline ? { baseline: true } : {}), fixedParams: { ...params } },
    })
  }

  /** The best COMPLETE trial (single objective); undefined before any completes. */
  async bestTrial(): Promise<FrozenTrial | undefined> {
    if (this.directions.length !== 1)
      throw new WinnowError(
        'invalid_config',
        `Study "${this.name}" has several objectives; use paretoFront() instead of bestTrial().`,
      )
    return bestTrial(await this.trials(), this.directions[0])
  }

  /** The non-dominated COMPLETE trials (several objectives). */
  async paretoFront(): Promise<FrozenTrial[]> {
    return paretoFront(await this.trials(), this.directions)
  }

  // TrialHost: called by live trials.

  /** @internal */
  async flushParams(trial: TrialId, params: ParamValues, distributions: Readonly<Record<string, Distribution>>) {
    await this.storage.setTrialParams(trial, params, distributions)
  }

  /** @internal */
  async report(trial: Trial, step: number, value: number): Promise<Decision> {
    if (!Number.isFinite(step) || step < 0)
      throw new WinnowError(
        'invalid_value',
        `Step must be a finite number >= 0, but trial #${trial.number} reported step ${step}.`,
      )
    await this.storage.reportIntermediate(trial.id, step, value)
    const ctx = await this.schedulingContext()
    const self = ctx.history.find((t) => t.id === trial.id)
    // The baseline is the reference every result is compared against, so it always trains to full fidelity.
    if (self === undefined || self.systemAttrs.baseline === true) return { action: 'continue' }
    return this.scheduler.decide(ctx, self)
  }

  /**
   * What the scheduler judges by: the study and its trials, less the failed ones and the completed ones that broke a
   * constraint. A trial that cannot go on or cannot be the best must not take a rung's place, or set the median,
   * that a trial still in the race then misses (a promoted trial that completes infeasible frees its promotion slot;
   * one that reported well and then crashed held the top of its rung and got every later trial pruned).
   */
  async schedulingContext(): Promise<SchedulingContext> {
    const history = (await this.sampled()).filter((t) => t.state !== 'FAIL' && !isInfeasibleResult(t))
    return { study: this.info, history }
  }

  /** @internal */
  async setUserAttrs(trial: TrialId, attrs: Readonly<Record<string, Json>>) {
    await this.storage.setTrialAttrs(trial, 'user', attrs)
  }
}
