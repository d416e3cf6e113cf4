import type { SamplerConfig, SchedulerConfig, StudyConfig } from '../config/index.ts'
import { spaceDistributions } from '../config/index.ts'
import { UsageError } from '../core/errors.ts'
import { AutoSampler } from '../core/samplers/auto-sampler.ts'
import { CmaEsSampler } from '../core/samplers/cmaes/cmaes-sampler.ts'
import { GpSampler } from '../core/samplers/gp/gp-sampler.ts'
import { GridSampler, gridFromSpace } from '../core/samplers/grid-sampler.ts'
import { Nsga2Sampler } from '../core/samplers/nsga2/nsga2-sampler.ts'
import { OfatSampler } from '../core/samplers/ofat-sampler.ts'
import { QmcSampler } from '../core/samplers/qmc-sampler.ts'
import { RandomSampler } from '../core/samplers/random-sampler.ts'
import type { Sampler } from '../core/samplers/sampler.ts'
import { TpeSampler } from '../core/samplers/tpe/tpe-sampler.ts'
import { defaultScheduler } from '../core/schedulers/default-scheduler.ts'
import { HyperbandScheduler } from '../core/schedulers/hyperband-scheduler.ts'
import { MedianScheduler } from '../core/schedulers/median-scheduler.ts'
import { MultiFidelitySampler } from '../core/schedulers/multi-fidelity-sampler.ts'
import { PatientScheduler } from '../core/schedulers/patient-scheduler.ts'
import { PbtScheduler } from '../core/schedulers/pbt-scheduler.ts'
import { PercentileScheduler } from '../core/schedulers/percentile-scheduler.ts'
import type { Resource } from '../core/schedulers/resource.ts'
import { noScheduler, type Scheduler } from '../core/schedulers/scheduler.ts'
import { SuccessiveHalvingScheduler } from '../core/schedulers/successive-halving-scheduler.ts'
import { ThresholdScheduler } from '../core/schedulers/threshold-scheduler.ts'
import { WilcoxonScheduler } from '../core/schedulers/wilcoxon-scheduler.ts'

/** The sampler and scheduler a study file asks for, and a line saying what was picked and why. */
export interface Strategies {
  readonly sampler: Sampler
  readonly scheduler: Scheduler
  readonly description: string
}

/** Builds the sampler and scheduler of a study file (the CLI is the one place that knows every implementation). */
export function buildStrategies(config: StudyConfig, seed: number): Strategies {
  const scheduler = buildScheduler(config, config.scheduler, seed)
  let { sampler, why } = buildSampler(config, config.sampler, seed)
  if (config.scheduler.type === 'bohb') {
    sampler = new MultiFidelitySampler(sampler, { levels: scheduler })
    why += '; it models the highest rung with enough trials (BOHB)'
  }
  return { sampler, scheduler, description: `sampler ${sampler.name} (${why}), scheduler ${scheduler.name}` }
}

function buildSampler(config: StudyConfig, c: SamplerConfig, seed: number): { sampler: Sampler; why: string } {
  const space = spaceDistributions(config.space)
  switch (c.type) {
    case 'auto':
      return chooseAuto(config, seed)
    case 'random':
      return { sampler: new RandomSampler(), why: 'asked for' }
    case 'grid':
      return {
        sampler: new GridSampler({ grid: gridFromSpace(space, { levels: c.resolution ?? 5 }) }),
        why: 'asked for',
      }
    case 'tpe':
      return {
        sampler: new TpeSampler({
          seed,
          nStartupTrials: c.n_startup_trials,
          nEiCandidates: c.n_ei_candidates,
          multivariate: c.multivariate,
          group: c.group,
          constantLiar: c.constant_liar,
        }),
        why: 'asked for',
      }
    case 'gp':
      return { sampler: new GpSampler({ seed, nStartupTrials: c.n_startup_trials }), why: 'asked for' }
    case 'qmc':
      return { sampler: new QmcSampler({ scramble: c.scramble }), why: 'asked for' }
    case 'cmaes':
      return {
        sampler: new CmaEsSampler({
          nStartupTrials: c.n_startup_trials,
          sigma0: c.sigma0,
          populationSize: c.popsize,
          restart: c.restart_strategy === 'none' ? 'none' : 'ipop',
          x0: config.baseline ? 'auto' : undefined,
        }),
        why: 'asked for',
      }
    case 'nsga2':
      return {
        sampler: new Nsga2Sampler({
          populationSize: c.population_size,
          mutationProb: c.mutation_prob,
          crossoverProb: c.crossover_prob,
        }),
        why: 'asked for',
      }
    case 'ofat':
      if (config.baseline === undefined)
        throw new UsageError(
          'Sampler ofat sweeps one parameter at a time around the baseline, but the study file has none. Add baseline: {param: value, ...} with a value for every parameter.',
        )
      // `winnow tune` queues the baseline itself, so the sweep leaves it out; inactive conditional parameters
      // (not in the baseline) are not swept.
      return {
        sampler: new OfatSampler({
          space: Object.fromEntries(Object.entries(space).filter(([n]) => Object.hasOwn(config.baseline!, n))),
          baseline: config.baseline,
          levels: 5,
          includeBaseline: false,
        }),
        why: 'asked for',
      }
    default:
      throw new UsageError(
        `Sampler "${(c as SamplerConfig).type}" is not available in this version of Winnow. Use auto, random, grid, tpe, cmaes or nsga2.`,
      )
  }
}

/**
 * `sampler: auto`: GP-BO for flat single-objective spaces, multivariate TPE otherwise and whenever the scheduler
 * stops trials early (see AutoSampler).
 */
function chooseAuto(config: StudyConfig, seed: number): { sampler: Sampler; why: string } {
  const multiFidelity = config.scheduler.type !== 'none'
  return {
    sampler: new AutoSampler({ seed, multiFidelity }),
    why: multiFidelity
      ? 'TPE: the scheduler stops trials early, and TPE learns from them'
      : 'GP for flat single-objective spaces, TPE otherwise and once most trials are pruned',
  }
}

function resourceOf(owner: string, c: SchedulerConfig): Resource {
  const r = c.resource
  if (r?.min === undefined || r.max === undefined)
    throw new UsageError(
      `Scheduler ${owner} needs resource: {kind, min, max} in the study file, e.g. {kind: steps, min: 50, max: 400}.`,
    )
  return {
    kind: r.kind,
    min: r.min,
    max: r.max,
    reductionFactor: 'reduction_factor' in c ? c.reduction_factor : undefined,
  }
}

function buildScheduler(config: StudyConfig, c: SchedulerConfig, seed: number): Scheduler {
  switch (c.type) {
    case 'auto': {
      const r = c.resource
      if (r?.max === undefined) throw new UsageError('Scheduler auto needs resource: {kind, max} in the study file.')
      return defaultScheduler(
        { kind: r.kind, max: r.max, min: r.min },
        { smoothing: c.smoothing, confidence: c.confidence },
      )
    }
    case 'none':
      return noScheduler
    case 'median':
      return new MedianScheduler({
        nStartupTrials: c.n_startup_trials,
        nWarmupSteps: c.n_warmup_steps,
        intervalSteps: c.interval_steps,
        nMinTrials: c.n_min_trials,
      })
    case 'percentile':
      return new PercentileScheduler({
        percentile: c.percentile,
        nStartupTrials: c.n_startup_trials,
        nWarmupSteps: c.n_warmup_steps,
        intervalSteps: c.interval_steps,
        nMinTrials: c.n_min_trials,
      })
    case 'threshold':
      return new ThresholdScheduler({
        lower: c.lower,
        upper: c.upper,
        nWarmupSteps: c.n_warmup_steps,
        intervalSteps: c.interval_steps,
      })
    case 'patient':
      return new PatientScheduler(c.wraps === 'none' ? undefined : new MedianScheduler(), {
        patience: c.patience,
        minDelta: c.min_delta,
      })
    case 'wilcoxon':
      return new WilcoxonScheduler({ pThreshold: c.p_threshold, nStartupSteps: c.n_startup_steps })
    case 'asha':
      return new SuccessiveHalvingScheduler({
        resource: resourceOf('asha', c),
        mode: c.mode,
        minEarlyStoppingRate: c.min_early_stopping_rate,
        smoothing: c.smoothing,
        confidence: c.confidence,
      })
    case 'hyperband':
    case 'bohb':
      return new HyperbandScheduler({
        resource: resourceOf(c.type, c),
        mode: c.mode,
        ...(c.brackets !== undefined ? { brackets: c.brackets } : {}),
      })
    case 'pbt': {
      const r = resourceOf('pbt', c)
      return new PbtScheduler({
        interval: c.perturbation_interval ?? r.min,
        space: spaceDistributions(config.space),
        quantile: c.quantile_fraction,
        resampleProbability: c.resample_probability,
        seed,
        max: r.max,
      })
    }
  }
}
