import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { applySpace, renderArgv, type StudyConfig, spaceDistributions } from '../config/index.ts'
import { findBaseline } from '../core/analysis/baseline.ts'
import { bestTrial, isFeasible } from '../core/analysis/pareto.ts'
import type { Json } from '../core/json.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import { Study } from '../core/study/study.ts'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'
import { runRecord } from '../report/reproducibility.ts'
import { runsOf } from '../report/run-records.ts'
import { createProgress, detectGpus, Runner, type RunnerOptions, type RunSummary } from '../runner/index.ts'
import { createMemoryGate } from '../runner/memory-gate.ts'
import { openStorage } from '../storage/open-storage.ts'
import { checkLaunchable } from './check-launchable.ts'
import { memoryGateOptions } from './commands/memory-command.ts'
import { checkContinuation, recordChangedSetup } from './continue-study.ts'
import { hashRecordedInputs, type InputHashes } from './input-hashes.ts'
import { schedulerJudgesFirstObjectiveOnly } from './run-warnings.ts'
import { buildStrategies } from './strategies.ts'
import { withdrawQueuedOutsideSpace } from './withdraw-queued.ts'

/** Command-line overrides of a study file. */
export interface RunOverrides {
  readonly storage?: string
  readonly trials?: number
  readonly concurrency?: number
  readonly seed?: number
  readonly quiet?: boolean
  /** Folder for trial logs and checkpoints. @default `.winnow` beside the study file */
  readonly workDir?: string
  /** Where the progress goes. @default process.stdout */
  readonly stream?: NodeJS.WriteStream
  /**
   * The config is the study's stored record (`winnow worker`): the study file on this machine, if any, is not
   * read, its inputs are not hashed, and the stored record is left as it is.
   */
  readonly fromStoredRecord?: boolean
}

/** What can interrupt a run: Ctrl-C, a supervisor's SIGTERM, or the reader of its output going away. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'EPIPE'

const activeRuns = new Set<(why: StopCause) => void>()

/**
 * Stops the runs in progress in this process as Ctrl-C does (running trials ended and re-queued, nothing lost);
 * false when none is running.
 */
export function stopActiveRuns(why: StopCause): boolean {
  for (const stop of activeRuns) stop(why)
  return activeRuns.size > 0
}

/** What a finished run leaves behind for the summary. */
export interface RunResult {
  readonly study: Study
  readonly storage: Storage
  readonly summary: RunSummary
  readonly strategies: string
  /** What interrupted the run, when something did (its trials were ended and re-queued). */
  readonly stoppedBy?: StopCause
  /** The study's trial budget for this run (budget.trials or --trials), when it has one. */
  readonly trialBudget?: number
}

/**
 * Runs (or continues) the study a study file describes: opens its storage, builds its sampler and scheduler,
 * queues the baseline as trial #0 on creation, and runs trials until the budget is used. Ctrl-C ends the
 * running trials, re-queues them, and returns; running the same command again continues the study.
 * The caller closes `result.storage`.
 */
export async function runStudyFile(config: StudyConfig, o: RunOverrides = {}): Promise<RunResult> {
  // Before the storage is opened: a missing input is a usage error that must leave nothing behind.
  const joining = o.fromStoredRecord === true
  checkLaunchable(config, joining)
  const inputHashes = joining ? undefined : await hashRecordedInputs(config)
  const storage = await openStorage(o.storage ?? config.storage)
  try {
    const existing = await storage.findStudy(config.name)
    // A continued study's trials, read once for the checks and the record below (before anything is queued).
    const stored = existing === undefined ? [] : (await storage.listTrials(existing.id)).trials
    if (existing !== undefined && !joining) checkContinuation(existing, stored, config)
    const storedSeed = existing?.systemAttrs.seed
    const seed = o.seed ?? config.sampler.seed ?? (typeof storedSeed === 'number' ? storedSeed : randomSeed())
    const strategies = buildStrategies(config, seed)
    const study = await Study.create({
      storage,
      name: config.name,
      directions: config.objectives.map((m) => m.direction),
      metricNames: config.objectives.map((m) => m.name),
      sampler: strategies.sampler,
      scheduler: strategies.scheduler,
      seed,
      loadIfExists: true,
      queueMissingPoints: !joining,
      // On load, a baseline re-queues one that failed: only the user's own `tune` (who fixed the setup) does that;
      // workers joining the study leave it to that run.
      ...(config.baseline !== undefined && !(joining && existing !== undefined) ? { baseline: config.baseline } : {}),
      systemAttrs: joining ? {} : studyRecord(config, strategies.description, inputHashes),
    })
    await recordRun(storage, study.info, dirname(config.file), stored.length)
    if (existing !== undefined && !joining)
      await recordChangedSetup(
        storage,
        existing,
        stored.length,
        studyRecord(config, strategies.description, inputHashes),
      )

    const controller = new AbortController()
    const stop = (why: StopCause) => controller.abort(why)
    let runner: Runner | undefined
    let interrupts = 0
    // Ctrl-C stops gracefully (trials save and are re-queued); a second one kills the running trials at once (still
    // re-queued, from their last checkpoint); a third quits on the spot (the next run recovers what was running).
    const onInt = () => {
      interrupts++
      const say = (line: string) => (o.stream ?? process.stdout).write(`winnow: ${line}\n`)
      if (interrupts === 1) {
        // Said at once, even with -q: a trial may take the whole grace period, and the user should know why.
        if (runner?.runningCount)
          say(
            `stopping: the running trials get up to ${config.trial.grace_period} s to save and exit, then are re-queued; Ctrl-C again kills them now.`,
          )
        stop('SIGINT')
      } else if (interrupts === 2) {
        say('second Ctrl-C: killing the running trials now; they are re-queued. Ctrl-C again quits at once.')
        runner?.hurry()
      } else process.exit(130)
    }
    const onTerm = () => stop('SIGTERM')
    process.on('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    activeRuns.add(stop)
    const progress = createProgress({
      direction: study.directions[0],
      stream: o.stream ?? process.stdout,
      tty: o.quiet ? false : undefined,
      directions: study.directions,
      ...(existing !== undefined ? { earlier: earlierResults(stored, study.directions[0]) } : {}),
    })
    try {
      const judged = schedulerJudgesFirstObjectiveOnly(config)
      if (judged !== undefined) progress.onEvent({ type: 'warning', message: judged })
      if (existing !== undefined && !joining) {
        const withdrawn = await withdrawQueuedOutsideSpace(study, spaceDistributions(config.space))
        if (withdrawn.length > 0)
          progress.onEvent({
            type: 'warning',
            message: `withdrew ${withdrawn.length} queued trial(s) the study's current space no longer allows (${withdrawn.map((t) => `#${t.number}`).join(', ')}); they are recorded as pruned, not run (see \`winnow trials --state pruned\`)`,
          })
      }
      runner = new Runner(runnerOptions(config, study, o, progress.onEvent, controller.signal))
      const summary = await runner.run()
      const stoppedBy = controller.signal.aborted ? (controller.signal.reason as StopCause) : undefined
      const trialBudget = o.trials ?? config.budget.trials
      return {
        study,
        storage,
        summary,
        strategies: strategies.description,
        ...(stoppedBy ? { stoppedBy } : {}),
        ...(trialBudget !== undefined ? { trialBudget } : {}),
      }
    } finally {
      progress.close()
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      activeRuns.delete(stop)
    }
  } catch (e) {
    await storage.close()
    throw e
  }
}

function runnerOptions(
  config: StudyConfig,
  study: Study,
  o: RunOverrides,
  onEvent: RunnerOptions['onEvent'],
  signal: AbortSignal,
): RunnerOptions {
  const space = spaceDistributions(config.space)
  const home = o.workDir ?? join(dirname(config.file), '.winnow')
  const r = config.resources
  const gate = memoryGateOptions(config)
  return {
    ...(gate !== undefined ? { gate: createMemoryGate(gate) } : {}),
    study,
    space,
    suggest: (trial) => {
      applySpace(trial, config.space)
    },
    command: (params, ctx) =>
      renderArgv(config.command, params, space, {
        trial_number: String(ctx.trialNumber),
        trial_id: String(ctx.trialId),
        study: config.name,
        checkpoint_dir: ctx.checkpointDir,
        resume_from: ctx.resumeFrom ?? '',
        target: ctx.target === undefined ? '' : String(ctx.target),
      }),
    cwd: config.cwd,
    env: config.env,
    concurrency: o.concurrency ?? r.concurrency ?? 1,
    // The default `gpus: all` on a machine without GPUs means CPU trials, not an error.
    gpus:
      r.gpus === 'none' || (r.gpus === 'all' && detectGpus().length === 0)
        ? undefined
        : {
            perTrial: r.gpus_per_trial,
            devices: r.gpus === 'all' ? 'all' : typeof r.gpus === 'number' ? [...Array(r.gpus).keys()] : r.gpus,
          },
    budget: {
      trials: o.trials ?? config.budget.trials,
      wallTimeSeconds: config.budget.wall_time,
      gpuHours: config.budget.gpu_hours,
    },
    trialTimeoutSeconds: config.trial.timeout,
    gracePeriodSeconds: config.trial.grace_period,
    pythonUnbuffered: config.trial.python_unbuffered,
    metricNames: config.objectives.map((m) => m.name),
    metricsFrom: {
      // Without the HTTP endpoint the clients print `WINNOW {...}` lines (PROTOCOL.md's stdout mode): read them.
      protocol: config.metrics_from.protocol ? 'http' : 'stdout',
      stdoutPattern: config.metrics_from.stdout_pattern?.join('|'),
      stepPattern: config.metrics_from.step_pattern,
    },
    earlyStopping: config.early_stopping && {
      patience: config.early_stopping.patience,
      minDelta: config.early_stopping.min_delta,
      divergence: config.early_stopping.divergence,
    },
    checkpoints: {
      root: join(home, 'checkpoints', config.name),
      keep: config.checkpoints.keep,
      deleteOnPrune: config.checkpoints.delete_on_prune,
    },
    retries: config.retries,
    constraints: config.constraints,
    logDir: join(home, 'logs', config.name),
    onEvent,
    signal,
  }
}

/** Most run records a study keeps: the first and the latest (a study continued every night for a year stays small). */
const MAX_RUN_RECORDS = 50

/**
 * Appends this run's record (host, versions, the git state of the study file's folder, the first trial it may run)
 * to the study, so the report says what code and machine produced the trials — not the state at report time.
 */
async function recordRun(storage: Storage, info: StudyInfo, dir: string, firstTrial: number): Promise<void> {
  const all = [...runsOf(info), await runRecord(dir, firstTrial)]
  const kept = all.length > MAX_RUN_RECORDS ? [all[0], ...all.slice(-(MAX_RUN_RECORDS - 1))] : all
  await storage.setStudyAttrs(info.id, 'system', { runs: kept as unknown as Json })
}

/** The setup record of a study (see `studyRecord`). */
export type StudyRecord = ReturnType<typeof studyRecord>

/** What is stored with the study so a worker, the report and a colleague can see how it was set up. */
function studyRecord(config: StudyConfig, strategies: string, inputHashes: InputHashes | undefined) {
  const text = readFileSync(config.file, 'utf8')
  return {
    studyFile: config.file,
    studyFileText: text,
    studyFileSha256: createHash('sha256').update(text).digest('hex'),
    command: [...config.command],
    strategies,
    ...(config.scheduler.resource ? { resource: { ...config.scheduler.resource } } : {}),
    ...(inputHashes ? { inputHashes } : {}),
    // Trials store constraint values by position; a continued study is checked against this list.
    constraintSpec: config.constraints.map((c) => ({ ...c })),
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31)
}

/** The best and the baseline trial a continued study already has, and its completed values, for the live progress. */
function earlierResults(trials: readonly FrozenTrial[], direction: Direction) {
  const result = (t: FrozenTrial | undefined) =>
    t?.state === 'COMPLETE' && t.values !== null
      ? { number: t.number, value: t.values[0], ...(isFeasible(t) ? {} : { infeasible: true }) }
      : undefined
  const points = trials.flatMap((t) =>
    t.state === 'COMPLETE' && t.values !== null && isFeasible(t) ? [[...t.values]] : [],
  )
  return { best: result(bestTrial(trials, direction)), baseline: result(findBaseline(trials)), points }
}
