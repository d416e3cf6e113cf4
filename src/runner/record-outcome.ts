import { dirname } from 'node:path'
import type { Json } from '../core/json.ts'
import type { Study } from '../core/study/study.ts'
import type { TrialState } from '../core/trial/trial-state.ts'
import { removeTrialCheckpoints, resumeStep, trialCheckpointDir } from './checkpoints.ts'
import { errorLine } from './error-line.ts'
import type { RunnerEvent } from './events.ts'
import type { ExitInfo } from './executor/executor.ts'
import { oomReason } from './executor/oom.ts'
import { gpuSeconds } from './gpus.ts'
import { measuredMetric, type TrialCosts } from './measured-metrics.ts'
import { evaluateConstraints, type MetricConstraint } from './metric-constraints.ts'
import { type Metrics, metricNumber } from './protocol/messages.ts'
import type { TrialAttempt } from './trial-attempt.ts'

/** How an attempt was recorded. */
export interface Outcome {
  readonly state: TrialState
  readonly values?: readonly number[]
  readonly reason?: string
  /** A COMPLETE trial that broke a constraint of the study (or did not report its metric). */
  readonly infeasible?: boolean
  readonly retried: boolean
  readonly wallSeconds: number
  readonly gpuSeconds: number
}

/** Settings the recorder needs. */
export interface OutcomeContext {
  readonly study: Study
  readonly metricNames: readonly string[]
  readonly retries: number
  /**
   * Failure reasons a retry reproduced word for word in this run, with how many retry chains (configurations) did.
   * A chain that reproduced its failure is not retried again; a reason two chains reproduced is not transient, so
   * later failures with it are not retried at all (a broken setup would otherwise run every trial retries + 1 times
   * before the fail-fast stop). Two, not one: a flaky error (an NCCL timeout) that strikes a trial and its retry by
   * bad luck must not switch retries off for the rest of the run.
   */
  readonly reproducedFailures?: Map<string, number>
  readonly deleteOnPrune: boolean
  /** Bounds on reported metrics, checked when a trial completes (see metric-constraints.ts). */
  readonly constraints?: readonly MetricConstraint[]
}

/**
 * Writes the end of an attempt to storage, in this order of precedence: interrupted by the run (re-queued
 * as WAITING, or FAIL 'interrupted'); paused by the scheduler (PAUSED, checkpoint kept); pruned (scheduler,
 * divergence, or replaced by a new trial under PBT: `pbtReplacedBy`); stopped early on a plateau (COMPLETE
 * with its best value); failure reported by the trial; timeout; a clean exit or a `complete` message
 * (COMPLETE with the final metrics, else the last report); otherwise FAIL with exit code, signal, log tail and
 * OOM recognition. Costs add up over attempts.
 */
export async function recordOutcome(a: TrialAttempt, exit: ExitInfo, ctx: OutcomeContext): Promise<Outcome> {
  const prev = a.frozen.systemAttrs
  const wall = exit.durationSeconds
  const gpu = gpuSeconds(wall, a.lease)
  const resourceUsed = resourceWithAttempt(prev, resumeStep(a.frozen), a.lastStep)
  const costs: Record<string, Json> = {
    ...costsWithAttempt(prev, wall, gpu),
    ...(resourceUsed !== undefined ? { resourceUsed } : {}),
    ...(a.tokens !== undefined ? { tokens: a.tokens } : {}),
    exit: {
      code: exit.code,
      signal: exit.signal,
      durationSeconds: exit.durationSeconds,
      logTail: exit.logTail.join('\n'),
      ...(exit.killedBecause !== undefined ? { killedBecause: exit.killedBecause } : {}),
    },
  }
  const done = (state: TrialState, extra: Partial<Outcome> = {}): Outcome => ({
    state,
    retried: false,
    wallSeconds: wall,
    gpuSeconds: gpu,
    ...extra,
  })
  const id = a.trial.id
  const storage = ctx.study.storage

  // A paused or PBT-replaced trial stays so when the run stops: its continuation is already arranged.
  const arranged = a.stop?.kind === 'pause' || a.stop?.kind === 'exploit'
  if (a.interrupted !== undefined && exit.killedBecause !== undefined && !arranged) {
    if (a.interrupted.requeue) {
      await storage.setTrialState(id, 'WAITING', {
        expectedState: 'RUNNING',
        systemAttrs: { ...costs, interrupted: a.interrupted.reason },
      })
      return done('WAITING', { reason: a.interrupted.reason })
    }
    await ctx.study.tell(a.trial, undefined, {
      state: 'FAIL',
      systemAttrs: { ...costs, failure: 'interrupted', failReason: a.interrupted.reason },
    })
    return done('FAIL', { reason: a.interrupted.reason })
  }
  if (a.stop?.kind === 'pause') {
    const d = a.stop.decision
    const rung = d.action === 'pause' ? d.rung : 0
    await storage.setTrialState(id, 'PAUSED', { expectedState: 'RUNNING', systemAttrs: { ...costs, rung } })
    return done('PAUSED', { reason: `paused at rung ${rung}` })
  }
  if (a.stop?.kind === 'scheduler-prune' || a.stop?.kind === 'diverged' || a.stop?.kind === 'exploit') {
    const reason = a.stop.decision.action === 'prune' ? a.stop.decision.reason : a.stop.kind
    const replacedBy: Record<string, Json> = a.replacement !== undefined ? { pbtReplacedBy: a.replacement.child } : {}
    await ctx.study.tell(a.trial, undefined, {
      state: 'PRUNED',
      systemAttrs: { ...costs, pruneReason: reason, ...replacedBy },
    })
    if (ctx.deleteOnPrune) {
      await removeTrialCheckpoints(a.checkpointDir).catch(() => {})
      // A retry resumed from the failed trial's folder: that training ends here too.
      const retryOf = a.frozen.systemAttrs.retryOf
      if (typeof retryOf === 'number')
        await removeTrialCheckpoints(trialCheckpointDir(dirname(a.checkpointDir), retryOf)).catch(() => {})
    }
    return done('PRUNED', { reason })
  }
  if (a.stop?.kind === 'plateau') {
    const values = finalValues(a, ctx.metricNames, true, costsOf(costs))
    const reason = a.stop.decision.action === 'prune' ? a.stop.decision.reason : 'early stopping'
    if (values !== undefined) {
      const c = completionAttrs(a, ctx)
      await ctx.study.tell(a.trial, values, { systemAttrs: { ...costs, stoppedEarly: reason, ...c.attrs } })
      return done('COMPLETE', { values, reason: c.reason ?? reason, ...c.flag })
    }
  }
  let failure: Record<string, Json> | undefined
  if (a.failMessage !== undefined) failure = { failure: 'reported', failReason: a.failMessage }
  else if (exit.killedBecause === 'timeout') failure = { failure: 'timeout', failReason: 'trial timed out' }
  else if (exit.spawnError !== undefined) failure = { failure: 'spawn', failReason: exit.spawnError }
  else if (a.completeError !== undefined && a.completeMetrics === undefined)
    // Never papered over by the last report: the trial meant to send another result.
    failure = {
      failure: 'bad_complete',
      failReason: `its complete message could not be read: ${a.completeError} Nothing else was recorded in its place; fix the message.`,
    }
  else if (exit.code === 0 || a.completeMetrics !== undefined) {
    const unreadable = unreadableObjective(a.completeMetrics, ctx.metricNames)
    const values = unreadable === undefined ? finalValues(a, ctx.metricNames, false, costsOf(costs)) : undefined
    if (unreadable !== undefined) failure = { failure: 'bad_metric', failReason: unreadable }
    else if (values !== undefined) {
      const c = completionAttrs(a, ctx)
      const finished = await ctx.study.tell(a.trial, values, { systemAttrs: { ...costs, ...c.attrs } })
      // A non-finite value fails the trial: its reason is that, not the constraints.
      if (finished.state !== 'COMPLETE')
        return done(finished.state, { reason: String(finished.systemAttrs.failReason ?? 'failed') })
      return done(finished.state, { values: finished.values ?? undefined, reason: c.reason, ...c.flag })
    } else {
      // Only the objectives neither `complete` nor the last report carried (the test of `finalValues`).
      const missing = ctx.metricNames.filter((n) => finalValue(a, n, costsOf(costs)) === undefined)
      failure = {
        failure: 'no_metric',
        failReason: `the trial exited without reporting ${missing.join(', ')}${a.otherMetricsNote(missing)}; report ${missing.length === 1 ? 'it' : 'them'} with the client (report / complete), a WINNOW line, or let Winnow read it from the output with metrics_from: {stdout_pattern: ${patternExample(missing[0])}} in the study file`,
      }
    }
  } else if (exit.oom !== undefined) {
    failure = { failure: 'oom', infeasible: true, failReason: oomReason(exit.oom) }
  } else {
    const how = exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`
    const last = errorLine(exit.logTail)
    failure = {
      failure: 'error',
      failReason: `trial exited with ${how}${last ? `: ${last.trim().slice(0, 300)}` : ''}`,
    }
  }
  await ctx.study.tell(a.trial, undefined, { state: 'FAIL', systemAttrs: { ...costs, ...failure } })
  const retryCount = num(prev.retryCount)
  const reason = String(failure.failReason)
  const key = failureKey(String(failure.failure), reason)
  const reproducedHere = key !== undefined && prev.retryOf !== undefined && prev.retryReason === key
  if (reproducedHere) ctx.reproducedFailures?.set(key, (ctx.reproducedFailures.get(key) ?? 0) + 1)
  // A retry would fail the same way: out of memory, a script that does not report a readable objective, this
  // configuration's failure reproduced by its retry, or a failure two configurations' retries reproduced.
  const retried =
    !NOT_RETRIED.has(String(failure.failure)) &&
    retryCount < ctx.retries &&
    !reproducedHere &&
    !(key !== undefined && (ctx.reproducedFailures?.get(key) ?? 0) >= 2)
  // The retry resumes from the failed attempt's last checkpoint (a flaky NCCL error at hour 5 of 6 must not cost
  // 5 hours again); it stays in the failed trial's folder, which the retry's own retention never deletes.
  const resume = a.checkpoints.at(-1)
  if (retried)
    await ctx.study.enqueue(a.trial.suggested, {
      systemAttrs: {
        retryOf: a.trial.number,
        // The first trial of the chain: schedulers that group trials by number (Hyperband's brackets) keep a retry
        // with the trial it continues.
        retryRoot:
          typeof prev.retryRoot === 'number'
            ? prev.retryRoot
            : typeof prev.retryOf === 'number'
              ? prev.retryOf
              : a.trial.number,
        retryCount: retryCount + 1,
        ...(key !== undefined ? { retryReason: key } : {}),
        ...(a.frozen.systemAttrs.baseline === true ? { baseline: true } : {}),
        // The steps up to the checkpoint were the failed trial's: the retry pays only for what it trains. It goes on
        // to the failed attempt's target (a promoted trial's, past the first rung), at its rung.
        ...(resume !== undefined
          ? {
              checkpoint: resume.path,
              checkpoints: [{ ...resume }],
              resourceUsed: 0,
              ...(typeof a.frozen.systemAttrs.target === 'number' ? { target: a.frozen.systemAttrs.target } : {}),
              ...(typeof a.frozen.systemAttrs.rung === 'number' ? { rung: a.frozen.systemAttrs.rung } : {}),
            }
          : {}),
      },
    })
  return done('FAIL', { reason, retried })
}

/** The `trial-finished` event of a recorded attempt. */
export function finishedEvent(a: TrialAttempt, out: Outcome): RunnerEvent {
  return {
    type: 'trial-finished',
    number: a.number,
    state: out.state,
    ...(out.values !== undefined ? { values: out.values } : {}),
    baseline: a.frozen.systemAttrs.baseline === true,
    ...(out.reason !== undefined ? { reason: out.reason } : {}),
    wallSeconds: out.wallSeconds,
    gpuSeconds: out.gpuSeconds,
    ...(out.retried ? { retried: true } : {}),
    ...(out.infeasible ? { infeasible: true } : {}),
  }
}

/**
 * What a completing trial stores besides its values: its final metrics (`systemAttrs.metrics`), its constraint
 * values (`systemAttrs.constraints`, the samplers' input) and, when it broke one, `infeasibleReason` in plain words;
 * constraints read the final metrics, else the latest report that carried each metric.
 */
function completionAttrs(
  a: TrialAttempt,
  ctx: OutcomeContext,
): { attrs: Record<string, Json>; reason?: string; flag?: { infeasible: true } } {
  // Every metric the trial reported, final values over earlier ones, is kept (status, the report and the trial
  // page show them beside the objective; `complete` often carries fewer than the reports, e.g. HF's evaluate()).
  const all = { ...a.seenMetrics, ...(a.completeMetrics ?? {}) } as Record<string, Json>
  const kept: Record<string, Json> = Object.keys(all).length > 0 ? { metrics: all } : {}
  if (ctx.constraints === undefined || ctx.constraints.length === 0) return { attrs: kept }
  const { values, problems } = evaluateConstraints(ctx.constraints, all)
  if (problems.length === 0) return { attrs: { ...kept, constraints: values } }
  const reason = `infeasible: ${problems.join('; ')}`
  return { attrs: { ...kept, constraints: values, infeasibleReason: reason }, reason, flag: { infeasible: true } }
}

const NOT_RETRIED = new Set(['oom', 'no_metric', 'bad_complete', 'bad_metric'])

/** Why an objective `complete` carries is not a number (e.g. "hello"); undefined when all are, or absent. */
function unreadableObjective(metrics: Metrics | undefined, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = metrics?.[name]
    // null (the JS client's "no value") counts as absent: the latest report stands in, as documented.
    if (v !== undefined && v !== null && metricNumber(v) === undefined)
      return `its complete message gave ${name} = ${JSON.stringify(v)}, not a number; send a number (or "NaN" for a run that diverged)`
  }
  return undefined
}

/** Objective values from `complete` metrics, falling back to the last report (or the best, after a plateau). */
function finalValues(
  a: TrialAttempt,
  names: readonly string[],
  preferBest: boolean,
  costs: TrialCosts,
): number[] | undefined {
  const out: number[] = []
  for (const [i, name] of names.entries()) {
    const best = i === 0 && preferBest ? a.tracker.bestValue : undefined
    const v = metricNumber(a.completeMetrics?.[name]) ?? best ?? finalValue(a, name, costs)
    if (v === undefined) return undefined
    out.push(v)
  }
  return out
}

/** One objective's final value: from `complete`, else the last report, else what Winnow measured (a cost). */
function finalValue(a: TrialAttempt, name: string, costs: TrialCosts): number | undefined {
  return metricNumber(a.completeMetrics?.[name]) ?? metricNumber(a.lastMetrics?.[name]) ?? measuredMetric(name, costs)
}

/** The trial's time so far (this attempt included) from the costs about to be stored. */
function costsOf(costs: Readonly<Record<string, Json>>): TrialCosts {
  return { wallSeconds: num(costs.wallSeconds), gpuSeconds: num(costs.gpuSeconds) }
}

/** A trial's stored costs with one more attempt of `wall` / `gpu` seconds (a finished attempt, or one a dead worker lost). */
export function costsWithAttempt(
  prev: Readonly<Record<string, Json>>,
  wall: number,
  gpu: number,
): { wallSeconds: number; gpuSeconds: number; attempts: number } {
  return {
    wallSeconds: num(prev.wallSeconds) + wall,
    gpuSeconds: num(prev.gpuSeconds) + gpu,
    attempts: num(prev.attempts) + 1,
  }
}

/**
 * The resource (steps, epochs) a trial has trained over its attempts, with this one from `start` (its resume step,
 * 0 from scratch) to its last report `last`: a trial promoted without a checkpoint trains its first steps again and
 * pays for them again. Without a recorded sum (a trial from before it was kept), what came before is taken to be
 * the resume point. Undefined while nothing was reported (the count then falls back to the last report, see
 * `computeCost`). An attempt lost with its worker is added by recovery (`requeueOrphan`), to its last stored report.
 */
export function resourceWithAttempt(
  prev: Readonly<Record<string, Json>>,
  start: number,
  last: number | undefined,
): number | undefined {
  const recorded = typeof prev.resourceUsed === 'number' ? prev.resourceUsed : undefined
  if (last === undefined) return recorded
  return (recorded ?? start) + Math.max(0, last - start)
}

/**
 * What two failures must share to be "the same" for the reproduced-failure rule: an exit with the last line of its
 * output, digits and paths made alike (a trial's own checkpoint folder, pids, timestamps differ from one trial to
 * the next). Undefined — never taken as reproduced — for what may well be transient: a timeout, a signal without
 * output (a preemption), an output ending in a separator or progress line (torchrun's `====` banner ends every
 * failure alike, whatever the cause).
 */
export function failureKey(kind: string, reason: string): string | undefined {
  if (kind !== 'error' && kind !== 'reported') return undefined
  const line = kind === 'error' ? /^trial exited with [^:]+: (.*)$/s.exec(reason)?.[1] : reason
  if (line === undefined || !/[A-Za-z]{3}/.test(line) || /^[\s=*#~_.|-]+$/.test(line) || /\d+%\|/.test(line))
    return undefined
  return `${kind}: ${line.replace(/\S*\/\S*/g, '<path>').replace(/\d+/g, 'N')}`
}

function num(v: Json | undefined): number {
  return typeof v === 'number' ? v : 0
}

/**
 * A stdout_pattern that reads `name=0.123` (or `1.2e+00`) from the output, as a hint; a metric whose name is not an
 * identifier cannot be a regex group name, so then the hint says to rename it.
 */
function patternExample(name: string): string {
  if (!/^[A-Za-z_]\w*$/.test(name))
    return `"…(?<metric>[0-9.eE+-]+)" (a group name must be an identifier: rename the metric "${name}", e.g. to ${JSON.stringify(name.replace(/\W+/g, '_'))})`
  return JSON.stringify(`${name}=(?<${name}>[0-9.eE+-]+)`)
}
