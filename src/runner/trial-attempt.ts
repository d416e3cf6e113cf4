import { resolve } from 'node:path'
import { didYouMean } from '../core/did-you-mean.ts'
import type { Json } from '../core/json.ts'
import { type Decision, type Exploit, noScheduler } from '../core/schedulers/scheduler.ts'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { type CheckpointRecord, retainCheckpoints } from './checkpoints.ts'
import { type EarlyStoppingOptions, EarlyStopTracker } from './early-stopping.ts'
import type { RunnerEvent } from './events.ts'
import type { RunHandle } from './executor/executor.ts'
import type { GpuLease } from './gpus.ts'
import type { Replacement } from './pbt-replacements.ts'
import { type Metrics, metricNumber, type TrialMessage, type WireDecision } from './protocol/messages.ts'

/** What an attempt needs from its runner. */
export interface AttemptContext {
  readonly study: Study
  readonly metricNames: readonly string[]
  readonly earlyStopping: EarlyStoppingOptions
  readonly keep: 'last' | 'best-and-last' | 'all'
  readonly graceSeconds: number
  readonly cwd: string
  readonly emit: (e: RunnerEvent) => void
  /** Says a warning; with `once`, only the first of that kind in the run. */
  readonly warn: (message: string, once?: string) => void
  /** Acts on PBT's exploit decision (see `exploitTrial`); undefined = treat it as a plain continue. */
  readonly exploit?: (attempt: TrialAttempt, exploit: Exploit, step: number) => Promise<Replacement | undefined>
}

/**
 * Reports without the objective after which the runner warns that the scheduler cannot judge the trial. Why not at
 * the first: a trainer logs its training loss every few steps and evaluates far less often (HF Trainer's
 * logging_steps vs eval_steps), so early reports without the objective are normal.
 */
export const MISSING_OBJECTIVE_REPORTS = 20

/** The stop decision an attempt got, and why. */
export type StopKind = 'scheduler-prune' | 'diverged' | 'plateau' | 'pause' | 'exploit'

/**
 * The runner's side of one running trial attempt: handles its messages in order (HTTP and stdout lines
 * share one queue), asks the scheduler, applies early stopping and checkpoint retention, and enforces a stop
 * decision the trial does not obey (after the grace period: SIGTERM to the group, then SIGKILL).
 */
export class TrialAttempt {
  handle: RunHandle | undefined
  /** The decision that ends the attempt; repeated to every later report. */
  stop: { kind: StopKind; decision: Decision } | undefined
  completeMetrics: Metrics | undefined
  /** Why a `complete` message could not be read (a trial that sent only such a one fails). */
  completeError: string | undefined
  failMessage: string | undefined
  lastMetrics: Metrics | undefined
  /** Every metric this attempt reported, the latest value of each (a metric need not be in every report). */
  seenMetrics: Metrics = {}
  lastStep: number | undefined
  lastValue: number | undefined
  tokens: number | undefined
  checkpoints: CheckpointRecord[]
  /** Set when PBT replaced this trial by a new one (the attempt then stops like a pruned one). */
  replacement: Replacement | undefined
  /** Set when the run ends this attempt (abort, wall-time / GPU budget): how to record it. */
  interrupted: { reason: string; requeue: boolean } | undefined
  readonly tracker: EarlyStopTracker
  readonly startedAt = Date.now()
  private queue: Promise<unknown> = Promise.resolve()
  private reports = 0
  private objectiveSeen = false
  private warnedNoObjective = false
  private enforceTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly ctx: AttemptContext,
    readonly trial: Trial,
    readonly frozen: FrozenTrial,
    readonly lease: GpuLease,
    readonly checkpointDir: string,
  ) {
    this.tracker = new EarlyStopTracker(ctx.earlyStopping, ctx.study.directions[0])
    const previous = frozen.systemAttrs.checkpoints
    this.checkpoints = Array.isArray(previous) ? (previous as unknown as CheckpointRecord[]) : []
  }

  get number(): number {
    return this.trial.number
  }

  /** Handles one message; messages of an attempt are processed one at a time, in arrival order. */
  onMessage(msg: TrialMessage): Promise<WireDecision | undefined> {
    const next = this.queue.then(() => this.process(msg))
    this.queue = next.catch(() => {})
    return next
  }

  /** Ends the attempt because the run stops. */
  interrupt(reason: string, requeue: boolean): void {
    this.interrupted ??= { reason, requeue }
    this.handle?.kill(reason)
  }

  /** Waits for queued messages (called once the process has exited). */
  async drain(): Promise<void> {
    clearTimeout(this.enforceTimer)
    await this.queue
  }

  private async process(msg: TrialMessage): Promise<WireDecision | undefined> {
    switch (msg.type) {
      case 'report':
        return this.report(msg.step, msg.metrics)
      case 'checkpoint':
        await this.checkpoint(msg.path, msg.step)
        return undefined
      case 'complete':
        this.completeMetrics = msg.metrics
        return undefined
      case 'fail':
        this.failMessage = msg.message
        return undefined
      case 'invalid':
        if (msg.intended === 'complete') this.completeError = msg.error
        return undefined
    }
  }

  private async report(stepGiven: number | undefined, metrics: Metrics): Promise<WireDecision> {
    this.reports++
    const step = stepGiven ?? this.reports
    this.lastMetrics = metrics
    this.seenMetrics = { ...this.seenMetrics, ...metrics }
    this.lastStep = step
    const tokens = metricNumber(metrics.tokens)
    if (tokens !== undefined && Number.isFinite(tokens)) this.tokens = tokens
    const value = metricNumber(metrics[this.ctx.metricNames[0]])
    if (value !== undefined) this.objectiveSeen = true
    else if (this.reports >= MISSING_OBJECTIVE_REPORTS) this.warnIfObjectiveMissing()
    let decision: Decision = { action: 'continue' }
    if (this.stop !== undefined) decision = this.stop.decision
    else {
      if (value !== undefined) {
        const verdict = this.tracker.observe(step, value)
        if (Number.isFinite(value)) this.lastValue = value
        if (verdict.kind === 'diverged') {
          // The report that shows the divergence is kept with the trial's curve (a NaN has no place in it).
          if (Number.isFinite(value))
            await this.ctx.study.storage
              .reportIntermediate(this.trial.id, step, value)
              .catch((e) => this.ctx.warn(`could not store the report of trial #${this.number}: ${String(e)}`))
          this.setStop('diverged', { action: 'prune', reason: verdict.reason })
        } else {
          decision = await this.trial.report(step, value)
          // PBT: replaced by a new trial, this attempt stops like a pruned one (setStop in exploit).
          const replaced =
            decision.action === 'continue' &&
            decision.exploit !== undefined &&
            (await this.exploit(decision.exploit, step))
          if (decision.action === 'prune') this.setStop('scheduler-prune', decision)
          else if (decision.action === 'pause') this.setStop('pause', decision)
          else if (!replaced && verdict.kind === 'plateau')
            this.setStop('plateau', { action: 'prune', reason: `early stopping: ${verdict.reason}` })
        }
        const stop = this.stop as TrialAttempt['stop'] // set by setStop above
        if (stop !== undefined) decision = stop.decision
      }
      await this.ctx.study.storage
        .setTrialAttrs(this.trial.id, 'system', {
          lastMetrics: metrics as Record<string, Json>,
          lastStep: step,
          ...(this.tokens !== undefined ? { tokens: this.tokens } : {}),
        })
        .catch((e) => this.ctx.warn(`could not store metrics of trial #${this.number}: ${String(e)}`))
    }
    const wire: WireDecision = {
      action: decision.action,
      ...('reason' in decision && decision.reason !== undefined ? { reason: decision.reason } : {}),
      ...(decision.action === 'pause' ? { rung: decision.rung } : {}),
    }
    this.ctx.emit({
      type: 'trial-reported',
      number: this.number,
      step,
      ...(value !== undefined ? { value } : {}),
      metrics: metrics as Record<string, Json>,
      decision: wire,
    })
    return wire
  }

  /**
   * What the trial reported (reports and its `complete` message) instead of the `missing` objectives, e.g.
   * ` (it reported val_loss, tokens — did you mean val_loss?)`; empty when it reported nothing. The guess is never an
   * objective it did report (with several objectives, one found is not a misspelling of another).
   */
  otherMetricsNote(missing: readonly string[] = [this.ctx.metricNames[0]]): string {
    const names = Object.keys({ ...this.seenMetrics, ...(this.completeMetrics ?? {}) })
    if (names.length === 0 || missing.length === 0) return ''
    const guess = didYouMean(
      missing[0],
      names.filter((n) => !this.ctx.metricNames.includes(n)),
    )
    return ` (it reported ${names.join(', ')}${guess !== undefined ? ` — did you mean ${guess}?` : ''})`
  }

  /**
   * Warns, once, when the trial has reported metrics but never the objective: the scheduler and early stopping
   * judge by the objective, so they silently let such a trial run to the end (a misspelled metric name).
   */
  warnIfObjectiveMissing(): void {
    if (this.objectiveSeen || this.warnedNoObjective || this.reports === 0) return
    // Nothing judges intermediate reports: training-loss reports and a final objective are then fine.
    if (this.ctx.study.scheduler === noScheduler && this.ctx.earlyStopping.patience === undefined) return
    this.warnedNoObjective = true
    this.ctx.warn(
      `trial #${this.number} sent ${this.reports} report${this.reports === 1 ? '' : 's'} without ${this.ctx.metricNames[0]}, the study's metric${this.otherMetricsNote()}: the scheduler and early stopping cannot judge it. Report ${this.ctx.metricNames[0]}, or name the metric the trial reports in the study file. (Said once per run.)`,
      'objective-missing',
    )
  }

  /**
   * Warns, once per trial, when it paused at a rung without ever sending a checkpoint: promoted, it can only train
   * again from scratch, paying the rung's steps twice — the point of promotion mode is lost without a word.
   */
  warnIfPausedWithoutCheckpoint(state: string): void {
    if (state !== 'PAUSED' || this.checkpoints.length > 0 || typeof this.frozen.systemAttrs.checkpoint === 'string')
      return
    this.ctx.warn(
      `trial #${this.number} paused at step ${this.lastStep ?? '?'} without a checkpoint: when promoted it trains again from scratch. In promotion mode the script should save one and send it (client checkpoint(path, step)) before exiting on a pause, and resume from WINNOW_RESUME_FROM. (Said once per run; the closing summary counts them.)`,
      'paused-without-checkpoint',
    )
  }

  /** Replaces this trial by a copy of a better one (PBT); true when it did, and this attempt is to stop. */
  private async exploit(e: Exploit, step: number): Promise<boolean> {
    const replacement = await this.ctx.exploit?.(this, e, step)
    if (replacement === undefined) return false
    this.replacement = replacement
    this.setStop('exploit', { action: 'prune', reason: replacement.reason })
    return true
  }

  private setStop(kind: StopKind, decision: Decision): void {
    this.stop = { kind, decision }
    // The trial gets the grace period to obey (save, exit); after that the runner ends it.
    this.enforceTimer = setTimeout(
      () => this.handle?.kill(`did not exit within ${this.ctx.graceSeconds}s of its ${decision.action} decision`),
      this.ctx.graceSeconds * 1000,
    )
    this.enforceTimer.unref()
  }

  private async checkpoint(pathGiven: string, step: number | undefined): Promise<void> {
    const path = resolve(this.ctx.cwd, pathGiven)
    const s = step ?? this.lastStep
    let value: number | undefined
    for (const iv of this.trial.frozen.intermediate) if (s !== undefined && iv.step <= s) value = iv.value
    if (s !== undefined && s === this.lastStep && this.lastValue !== undefined) value = this.lastValue
    const rec: CheckpointRecord = {
      path,
      ...(s !== undefined ? { step: s } : {}),
      ...(value !== undefined ? { value } : {}),
    }
    const all = [...this.checkpoints.filter((c) => c.path !== path), rec]
    try {
      this.checkpoints = await retainCheckpoints(this.checkpointDir, all, this.ctx.keep, this.ctx.study.directions[0])
    } catch (e) {
      this.checkpoints = all
      this.ctx.warn(`could not delete old checkpoints of trial #${this.number}: ${String(e)}`)
    }
    await this.ctx.study.storage.setTrialAttrs(this.trial.id, 'system', {
      checkpoint: path,
      checkpoints: this.checkpoints as unknown as Json,
    })
  }
}
