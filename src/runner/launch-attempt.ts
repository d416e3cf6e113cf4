import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { resumeStep, trialCheckpointDir } from './checkpoints.ts'
import type { RunnerEvent } from './events.ts'
import type { Executor } from './executor/executor.ts'
import { cudaVisibleDevices, type GpuLease } from './gpus.ts'
import type { RunnerOptions } from './options.ts'
import { exploitTrial } from './pbt-exploit.ts'
import type { ProtocolEndpoint } from './protocol/endpoint.ts'
import { outputLineHandler } from './protocol/output-lines.ts'
import { workerIdentity } from './recovery.ts'
import { type AttemptContext, TrialAttempt } from './trial-attempt.ts'
import { paramsFilePath, trialEnv } from './trial-env.ts'

/** What `launchAttempt` needs from its runner: its options and the paths and services it resolved. */
export interface LaunchContext {
  readonly o: RunnerOptions
  readonly executor: Executor
  readonly endpoint: ProtocolEndpoint | undefined
  readonly metricNames: readonly string[]
  readonly graceSeconds: number
  readonly cwd: string
  readonly logDir: string
  readonly checkpointRoot: string
  readonly emit: (e: RunnerEvent) => void
}

/** A launched attempt and the key its protocol registration goes by. */
export interface Launched {
  readonly attempt: TrialAttempt
  readonly key: string
}

/**
 * Starts one attempt of a claimed trial: records its worker, target and GPUs, builds its environment
 * (`WINNOW_RESUME_FROM` = the trial's stored checkpoint: a paused, re-queued or recovered trial's own, or the
 * copy a PBT replacement starts from), registers it with the protocol endpoint and launches its command.
 */
export async function launchAttempt(c: LaunchContext, trial: Trial, lease: GpuLease): Promise<Launched> {
  const study = c.o.study
  const frozen = trial.frozen
  const checkpointDir = trialCheckpointDir(c.checkpointRoot, trial.number)
  mkdirSync(checkpointDir, { recursive: true })
  const resumeFrom = typeof frozen.systemAttrs.checkpoint === 'string' ? frozen.systemAttrs.checkpoint : undefined
  const target = await attemptTarget(study, frozen)
  // Who runs this attempt since when, on how many GPUs: a later run that finds the worker dead charges the lost
  // attempt's time to the trial (recovery.ts).
  const attemptKey = randomBytes(12).toString('hex')
  // With the step it resumes from, so a lost attempt's training is counted from there (recovery.ts).
  const worker = {
    ...workerIdentity(),
    attemptStartedAt: Date.now(),
    gpus: lease.gpus,
    attemptKey,
    resumeStep: resumeStep(frozen),
  }
  await study.storage.setTrialAttrs(trial.id, 'system', {
    worker,
    ...(target !== undefined ? { target } : {}),
    ...(lease.indices.length > 0 ? { gpus: [...lease.indices] } : {}),
  })
  const params = trial.suggested
  const warn = (message: string, once?: string) =>
    c.emit({ type: 'warning', message, ...(once !== undefined ? { once } : {}) })
  const actx: AttemptContext = {
    study,
    metricNames: c.metricNames,
    earlyStopping: c.o.earlyStopping ?? {},
    keep: c.o.checkpoints?.keep ?? 'last',
    graceSeconds: c.graceSeconds,
    cwd: c.cwd,
    emit: c.emit,
    warn,
    exploit: (a, e, step) => exploitTrial({ study, checkpointRoot: c.checkpointRoot, warn }, a.trial.frozen, e, step),
  }
  const attempt = new TrialAttempt(actx, trial, frozen, lease, checkpointDir)
  const key = String(trial.id)
  const registration = c.endpoint?.register(key, (m) => attempt.onMessage(m))
  const logFile = join(c.logDir, `trial-${String(trial.number).padStart(4, '0')}.log`)
  const env = trialEnv({
    trialId: trial.id,
    trialNumber: trial.number,
    attemptKey,
    study: study.name,
    params,
    paramsFile: paramsFilePath(c.logDir, trial.number),
    checkpointDir,
    resumeFrom,
    target,
    report: registration,
    cudaVisibleDevices: cudaVisibleDevices(lease),
    pythonUnbuffered: c.o.pythonUnbuffered ?? true,
    userEnv: c.o.env,
  })
  // Where its output goes, so `winnow dashboard` can show a live tail while it runs (an absolute path).
  await study.storage.setTrialAttrs(trial.id, 'system', { logFile })
  const argv = c.o.command(params, { trialNumber: trial.number, trialId: trial.id, checkpointDir, resumeFrom, target })
  attempt.handle = c.executor.launch({
    label: `#${trial.number} of study "${study.name}"`,
    argv,
    cwd: c.cwd,
    env,
    logFile,
    timeoutSeconds: c.o.trialTimeoutSeconds,
    graceSeconds: c.graceSeconds,
    onLine: outputLineHandler(c.o.metricsFrom, (m) => attempt.onMessage(m), warn),
  })
  c.emit({
    type: 'trial-started',
    number: trial.number,
    params,
    resumed: resumeFrom !== undefined,
    baseline: frozen.systemAttrs.baseline === true,
    ...(target !== undefined ? { target } : {}),
    gpus: lease.indices,
    logFile,
  })
  return { attempt, key }
}

/**
 * The resource this attempt trains to: the promotion's target, nothing for the baseline (it trains to full
 * fidelity, see Study.report), else the scheduler's first rung.
 */
async function attemptTarget(study: Study, frozen: FrozenTrial): Promise<number | undefined> {
  if (typeof frozen.systemAttrs.target === 'number') return frozen.systemAttrs.target
  if (frozen.systemAttrs.baseline === true) return undefined
  return study.scheduler.initialTarget?.(await study.schedulingContext(), frozen)
}
