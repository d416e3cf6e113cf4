import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WinnowError } from '../core/errors.ts'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import { type FrozenTrial, isWithdrawn, type TrialId } from '../core/trial/frozen-trial.ts'
import { isFinished } from '../core/trial/trial-state.ts'
import { BudgetTracker, pointsNotRun, pointsToRun, trialsCounted } from './budget.ts'
import type { RunnerEvent, RunSummary, StopReason } from './events.ts'
import type { Executor } from './executor/executor.ts'
import { LocalExecutor } from './executor/local-executor.ts'
import { FailFast } from './fail-fast.ts'
import { type GpuLease, GpuPool } from './gpus.ts'
import { launchAttempt } from './launch-attempt.ts'
import { gateTrial } from './memory-gate.ts'
import { isContinuation, nextTrial } from './next-trial.ts'
import { DEFAULT_STALE_AFTER_SECONDS, type RunnerOptions } from './options.ts'
import { ProtocolEndpoint } from './protocol/endpoint.ts'
import { outputLineHandler } from './protocol/output-lines.ts'
import { finishedEvent, recordOutcome } from './record-outcome.ts'
import { recoverDeadWorkersTrials } from './recovery.ts'
import { ResultsElsewhere } from './results-elsewhere.ts'
import type { TrialAttempt } from './trial-attempt.ts'

/**
 * Turns a study into running trials: claims queued trials (baseline, retries, promotions, recovered ones)
 * before asking the sampler for new ones, runs up to `concurrency` at a time within the GPU slots, feeds
 * their reports to the scheduler, records how each ended, and stops at the budget.
 *
 * Crash safety: running trials heartbeat; a run first re-queues RUNNING trials whose heartbeat is stale
 * (a dead worker's), and they re-run with the same parameters and trial number from their last checkpoint.
 * On abort (Ctrl-C) or a wall-time / GPU budget stop, running trials are ended (SIGTERM → grace → SIGKILL)
 * and re-queued as WAITING (or recorded FAIL with `onInterrupt: 'fail'`), so nothing is left RUNNING and the
 * next run continues them.
 */
export class Runner {
  private readonly study: Study
  private readonly executor: Executor
  private readonly gpus: GpuPool
  private readonly concurrency: number
  private readonly grace: number
  private readonly metricNames: readonly string[]
  private readonly logDir: string
  private readonly checkpointRoot: string
  private readonly cwd: string
  private readonly budget: BudgetTracker
  private readonly running = new Map<TrialId, { attempt: TrialAttempt; done: Promise<void> }>()
  private endpoint: ProtocolEndpoint | undefined
  private wakeUp: (() => void) | undefined
  private exhausted = false
  private counts = {
    attempts: 0,
    completed: 0,
    pruned: 0,
    failed: 0,
    paused: 0,
    requeued: 0,
    recovered: 0,
    gpuSeconds: 0,
  }
  private lastStaleCheck = 0
  private readonly failFast = new FailFast()
  /** Failure reasons a retry reproduced (see `OutcomeContext.reproducedFailures`). */
  private readonly reproducedFailures = new Map<string, number>()
  /** Kinds of warnings said once per run (see the `once` of a warning event). */
  private readonly saidOnce = new Set<string>()

  constructor(private readonly o: RunnerOptions) {
    this.study = o.study
    this.executor = o.executor ?? new LocalExecutor()
    this.gpus = o.gpus instanceof GpuPool ? o.gpus : GpuPool.fromOptions(o.gpus)
    this.concurrency = Math.max(1, Math.floor(o.concurrency ?? 1))
    this.grace = o.gracePeriodSeconds ?? 10
    this.metricNames = o.metricNames ?? o.study.info.metricNames
    if (this.metricNames.length !== o.study.directions.length)
      throw new WinnowError(
        'invalid_config',
        `Study "${o.study.name}" has ${o.study.directions.length} direction(s) but the runner got metrics ${JSON.stringify(this.metricNames)}. Give one metric name per direction.`,
      )
    this.cwd = resolve(o.cwd ?? process.cwd())
    this.logDir = resolve(o.logDir ?? join('.winnow', 'logs', o.study.name))
    this.checkpointRoot = resolve(o.checkpoints?.root ?? join('.winnow', 'checkpoints', o.study.name))
    const hb = o.heartbeatSeconds ?? 10
    const stale = o.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS
    if (stale < 2 * hb)
      throw new WinnowError(
        'invalid_config',
        `staleAfterSeconds (${stale}) must be at least twice heartbeatSeconds (${hb}), or live trials would be taken for dead ones.`,
      )
    this.budget = new BudgetTracker(o.budget ?? {})
    outputLineHandler(
      o.metricsFrom,
      async () => undefined,
      () => {},
    ) // validates the patterns now, not at launch
  }

  /** Runs until the budget is used, the sampler is exhausted, or `signal` aborts; never leaves a trial RUNNING. */
  async run(): Promise<RunSummary> {
    const t0 = Date.now()
    mkdirSync(this.logDir, { recursive: true })
    mkdirSync(this.checkpointRoot, { recursive: true })
    if ((this.o.metricsFrom?.protocol ?? 'http') === 'http') this.endpoint = await ProtocolEndpoint.start()
    const onAbort = () => this.wake()
    this.o.signal?.addEventListener('abort', onAbort)
    const before = await this.study.trials()
    const elsewhere = new ResultsElsewhere(before)
    this.emit({
      type: 'run-started',
      study: this.study.name,
      budget: this.o.budget ?? {},
      concurrency: this.concurrency,
      // Withdrawn queued trials (PRUNED, never run) are not results the run continues after.
      finishedBefore: before.filter((t) => isFinished(t.state) && !isWithdrawn(t)).length,
      ...(this.study.sampler.pointsToQueue !== undefined && pointsToRun(before) > 0
        ? { sweep: { left: pointsToRun(before), end: trialsCounted(before) + pointsNotRun(before) } }
        : {}),
    })
    // GPU time is counted from the GPUs trials hold: CPU trials (gpus: none, no GPU found, gpus_per_trial: 0) hold
    // none, so the GPU budget would silently never stop the study.
    if (this.o.budget?.gpuHours !== undefined && this.gpus.perTrial === 0)
      this.emit({
        type: 'warning',
        once: 'gpu-hours-without-gpus',
        message:
          'budget.gpu_hours counts GPU time but this run uses no GPU (resources.gpus is none, gpus_per_trial is 0, or nvidia-smi found none); it will never stop the study — use budget.wall_time or budget.trials',
      })
    const hbTimer = setInterval(() => void this.beat(), (this.o.heartbeatSeconds ?? 10) * 1000)
    let stoppedBy: StopReason = 'done'
    try {
      await this.recoverStale(true)
      for (;;) {
        // One read of the study per poll (incremental): the GPU budget and the news from other workers use it.
        const trials = await this.study.trials()
        const news = elsewhere.take(trials)
        if (news !== undefined) this.emit(news)
        const stop = this.stopReason(t0, trials)
        if (stop !== undefined) {
          stoppedBy = stop
          if (stop !== 'aborted' && stop !== 'failing') this.emit({ type: 'budget-exhausted', which: stop })
          break
        }
        await this.recoverStale(false)
        await this.fillSlots()
        for (const id of this.running.keys()) elsewhere.mine(id)
        if (this.running.size === 0) {
          const idle = await this.idleReason()
          if (idle !== undefined) {
            stoppedBy = idle
            break
          }
        }
        await this.sleep((this.o.pollSeconds ?? 1) * 1000)
      }
    } finally {
      clearInterval(hbTimer)
      const requeue = (this.o.onInterrupt ?? 'requeue') === 'requeue'
      const why =
        stoppedBy === 'aborted' ? 'interrupted' : stoppedBy === 'done' ? 'runner stopped' : `budget: ${stoppedBy}`
      for (const { attempt } of this.running.values()) attempt.interrupt(why, requeue)
      await Promise.all([...this.running.values()].map((r) => r.done))
      this.o.signal?.removeEventListener('abort', onAbort)
      await this.endpoint?.close()
    }
    const best = this.study.directions.length === 1 ? await this.study.bestTrial() : undefined
    const summary: RunSummary = {
      study: this.study.name,
      stoppedBy,
      ...(stoppedBy === 'failing' ? { failing: this.failFast.reason() } : {}),
      ...this.counts,
      ...(best?.values != null ? { best: { number: best.number, value: best.values[0] } } : {}),
      wallSeconds: (Date.now() - t0) / 1000,
    }
    this.emit({ type: 'run-finished', summary })
    return summary
  }

  /** Trials running here now. */
  get runningCount(): number {
    return this.running.size
  }

  /**
   * Once the run is stopping (abort), ends the running trials now (SIGKILL to their process groups) instead of
   * waiting for them to save and exit; they are still re-queued (or failed) as on any interrupt. For a second Ctrl-C.
   */
  hurry(): void {
    if (!this.o.signal?.aborted) return
    for (const { attempt } of this.running.values()) attempt.handle?.signal('SIGKILL')
  }

  private stopReason(t0: number, trials: readonly FrozenTrial[]): StopReason | undefined {
    if (this.o.signal?.aborted) return 'aborted'
    if (this.failFast.reason() !== undefined) return 'failing'
    if (this.budget.wallTimeUsed(t0)) return 'wall_time'
    const live = [...this.running.values()].reduce(
      (s, { attempt: a }) => s + ((Date.now() - a.startedAt) / 1000) * a.lease.gpus,
      0,
    )
    if (this.budget.gpuHoursUsed(trials, live)) return 'gpu_hours'
    return undefined
  }

  /** Why an idle runner (nothing running here) stops, or undefined to keep waiting. */
  private async idleReason(): Promise<StopReason | undefined> {
    // Another Winnow run on this machine holds the GPUs: wait for them, whatever the budget says.
    const holders = this.gpus.waitingFor
    if (holders.size > 0) {
      this.emit({
        type: 'warning',
        message: `waiting for a GPU: other Winnow runs on this machine hold them (pid ${[...holders].join(', ')})`,
        once: 'waiting-for-gpus',
      })
      return undefined
    }
    const trials = await this.study.trials()
    // Another worker's trials (or a dead worker's, until they go stale) may still pause, fail or finish.
    if (trials.some((t) => t.state === 'RUNNING')) return undefined
    const left = this.budget.trialsLeft(trials)
    if (trials.some((t) => t.state === 'WAITING' && (isContinuation(t) || left > 0))) return undefined
    if (this.exhausted) return 'exhausted'
    if (left <= 0) return 'trials'
    return this.o.budget?.trials === undefined ? 'done' : undefined
  }

  /** Launches trials while slots, GPUs and budget allow. */
  private async fillSlots(): Promise<void> {
    while (this.running.size < this.concurrency && !this.o.signal?.aborted) {
      const lease = this.gpus.tryAcquire()
      if (lease === undefined) return
      let trial: Trial | undefined
      try {
        trial = await this.next()
      } catch (e) {
        this.gpus.release(lease)
        throw e
      }
      if (trial === undefined) {
        this.gpus.release(lease)
        return
      }
      await this.launch(trial, lease)
    }
  }

  /** The next trial to run: a promotion, a queued or recovered trial, or a new one within the budget. */
  private async next(): Promise<Trial | undefined> {
    const r = await nextTrial(this.study, this.budget, this.exhausted, this.o.suggest, this.o.space)
    if (r.exhausted) this.exhausted = true
    return r.trial
  }

  private async launch(trial: Trial, lease: GpuLease): Promise<void> {
    if (await gateTrial(this.o.gate, this.study, trial, (e) => this.emit(e))) {
      this.gpus.release(lease)
      this.counts.failed++
      return
    }
    const { attempt, key } = await launchAttempt(
      {
        o: this.o,
        executor: this.executor,
        endpoint: this.endpoint,
        metricNames: this.metricNames,
        graceSeconds: this.grace,
        cwd: this.cwd,
        logDir: this.logDir,
        checkpointRoot: this.checkpointRoot,
        emit: (e) => this.emit(e),
      },
      trial,
      lease,
    ).catch((e: unknown) => {
      this.gpus.release(lease) // other Winnow processes on this host may wait for its GPUs
      throw e
    })
    this.counts.attempts++
    const done = this.finish(attempt, key)
    this.running.set(trial.id, { attempt, done })
  }

  private async finish(attempt: TrialAttempt, key: string): Promise<void> {
    const exit = await attempt.handle!.exited
    // Late messages (a report racing the exit) are still applied before the outcome is written.
    await attempt.drain()
    this.endpoint?.unregister(key)
    this.gpus.release(attempt.lease)
    try {
      attempt.warnIfObjectiveMissing()
      const out = await recordOutcome(attempt, exit, {
        study: this.study,
        metricNames: this.metricNames,
        retries: this.o.retries ?? 0,
        reproducedFailures: this.reproducedFailures,
        deleteOnPrune: this.o.checkpoints?.deleteOnPrune ?? false,
        constraints: this.o.constraints,
      })
      this.counts.gpuSeconds += out.gpuSeconds
      const k = (
        { COMPLETE: 'completed', PRUNED: 'pruned', FAIL: 'failed', PAUSED: 'paused', WAITING: 'requeued' } as const
      )[out.state as 'COMPLETE']
      if (k !== undefined) this.counts[k]++
      this.failFast.record(out.state, out.reason, attempt.frozen.systemAttrs.infeasible === true, out.retried)
      attempt.warnIfPausedWithoutCheckpoint(out.state)
      this.emit(finishedEvent(attempt, out))
    } catch (e) {
      this.emit({ type: 'warning', message: `could not record the end of trial #${attempt.number}: ${String(e)}` })
    } finally {
      this.running.delete(attempt.trial.id)
      this.wake()
    }
  }

  /** Re-queues RUNNING trials of dead workers; checked at start and every few polls. */
  private async recoverStale(force: boolean): Promise<void> {
    const stale = (this.o.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000
    if (!force && Date.now() - this.lastStaleCheck < stale / 4) return
    this.lastStaleCheck = Date.now()
    const requeued = await recoverDeadWorkersTrials(
      this.study,
      new Set(this.running.keys()),
      stale,
      this.grace * 1000,
      (m) => this.emit({ type: 'warning', message: m }),
    )
    if (requeued.length > 0) {
      this.counts.recovered += requeued.length
      this.emit({
        type: 'trials-recovered',
        numbers: requeued.map((t) => t.number),
        fromScratch: requeued.filter((t) => typeof t.systemAttrs.checkpoint !== 'string').map((t) => t.number),
      })
    }
  }

  private async beat(): Promise<void> {
    for (const id of this.running.keys())
      await this.study.storage
        .heartbeat(id)
        .catch((e) => this.emit({ type: 'warning', message: `heartbeat failed: ${String(e)}` }))
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(() => {
        this.wakeUp = undefined
        r()
      }, ms)
      this.wakeUp = () => {
        clearTimeout(t)
        this.wakeUp = undefined
        r()
      }
    })
  }

  private wake(): void {
    this.wakeUp?.()
  }

  private emit(e: RunnerEvent): void {
    if (e.type === 'warning' && e.once !== undefined) {
      if (this.saidOnce.has(e.once)) return
      this.saidOnce.add(e.once)
    }
    try {
      this.o.onEvent?.(e)
    } catch {
      // A broken progress renderer must not stop the study.
    }
  }
}
