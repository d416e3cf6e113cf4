import type { ParamValues, SearchSpace } from '../core/distributions/distribution.ts'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import type { CheckpointOptions } from './checkpoints.ts'
import type { EarlyStoppingOptions } from './early-stopping.ts'
import type { RunnerEvent } from './events.ts'
import type { Executor } from './executor/executor.ts'
import type { GpuOptions, GpuPool } from './gpus.ts'
import type { MemoryGate } from './memory-gate.ts'
import type { MetricConstraint } from './metric-constraints.ts'

/** Default of `staleAfterSeconds`: a RUNNING trial silent for longer is taken to be a dead worker's. */
export const DEFAULT_STALE_AFTER_SECONDS = 120

/** What `command` gets besides the parameters, for placeholders such as `{checkpoint_dir}`. */
export interface CommandContext {
  readonly trialNumber: number
  readonly trialId: number
  readonly checkpointDir: string
  readonly resumeFrom?: string
  readonly target?: number
}

/** Where metrics come from. */
export interface MetricsSource {
  /**
   * 'http' (default): the 127.0.0.1 endpoint plus `WINNOW {json}` stdout lines; 'stdout': only the lines
   * (no endpoint is started, clients print); 'none': neither, only `stdoutPattern`.
   */
  readonly protocol?: 'http' | 'stdout' | 'none'
  /** Regex with named groups for unmodified scripts, e.g. `val loss (?<eval_loss>[0-9.]+)`. */
  readonly stdoutPattern?: string
  /** Regex with a `step` group, e.g. `step (?<step>\d+)`; without it reports are counted. */
  readonly stepPattern?: string
}

/** Budget of a study; the run stops launching when any is used up. */
export interface Budget {
  /** Trials in the study (retries excluded). Running trials finish. */
  readonly trials?: number
  /** Seconds of this run. Running trials are ended and re-queued. */
  readonly wallTimeSeconds?: number
  /** GPU-hours over the whole study. Running trials are ended and re-queued. */
  readonly gpuHours?: number
}

/** Everything a `Runner` needs; the CLI maps the study file onto this. */
export interface RunnerOptions {
  readonly study: Study
  /** Fills a fresh trial's parameters (e.g. config's `applySpace`); values already set are kept. */
  readonly suggest: (trial: Trial) => void
  /**
   * Every distribution `suggest` may use (conditional ones included), told to the sampler before it samples, so a
   * model-based sampler follows a space that changed since earlier trials (e.g. narrowed by `winnow focus`).
   */
  readonly space?: SearchSpace
  /** The trial's argv, already rendered; it is run without a shell. */
  readonly command: (params: ParamValues, ctx: CommandContext) => readonly string[]
  readonly cwd?: string
  /** Extra environment variables for every trial. */
  readonly env?: Readonly<Record<string, string>>
  /** @default new LocalExecutor() */
  readonly executor?: Executor
  /** Trials at once. @default 1 */
  readonly concurrency?: number
  /** GPU slots; undefined = CPU trials. */
  readonly gpus?: GpuOptions | GpuPool
  readonly budget?: Budget
  readonly trialTimeoutSeconds?: number
  /** Seconds a trial gets to obey a decision, and between SIGTERM and SIGKILL. @default 10 */
  readonly gracePeriodSeconds?: number
  /** Metric names, one per study direction. @default the study's metricNames */
  readonly metricNames?: readonly string[]
  readonly metricsFrom?: MetricsSource
  readonly earlyStopping?: EarlyStoppingOptions
  /** @default { root: '.winnow/checkpoints/<study>', keep: 'last' } */
  readonly checkpoints?: Partial<CheckpointOptions>
  /** Bounds on reported metrics; a completed trial that breaks one is infeasible (never the best). */
  readonly constraints?: readonly MetricConstraint[]
  /** Failed trials are re-run (as new trials with the same parameters) up to this many times. @default 0 */
  readonly retries?: number
  /** @default 10 */
  readonly heartbeatSeconds?: number
  /** A RUNNING trial whose heartbeat is older is taken to be a dead worker's and re-queued. @default 120 */
  readonly staleAfterSeconds?: number
  /** @default '.winnow/logs/<study>' */
  readonly logDir?: string
  /** Set PYTHONUNBUFFERED=1 in trials. @default true */
  readonly pythonUnbuffered?: boolean
  /** Seconds between checks for promotions and stale trials while waiting. @default 1 */
  readonly pollSeconds?: number
  /** What Ctrl-C / abort does to running trials: re-queue them (default) or record them FAIL. */
  readonly onInterrupt?: 'requeue' | 'fail'
  readonly onEvent?: (event: RunnerEvent) => void
  /** Checked before each new configuration launches; one that would not fit the GPU is recorded FAIL (infeasible). */
  readonly gate?: MemoryGate
  readonly signal?: AbortSignal
}
