import type { ParamValues } from '../core/distributions/distribution.ts'
import type { Json } from '../core/json.ts'
import {
  correctedLimit,
  estimateMemory,
  fitsUnder,
  type MemoryInput,
  type MemoryObservations,
  type TargetModules,
} from '../core/memory/index.ts'
import type { Study } from '../core/study/study.ts'
import type { Trial } from '../core/study/trial.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { RunnerEvent } from './events.ts'

/** The memory model's verdict on one configuration. */
export interface MemoryVerdict {
  readonly fits: boolean
  readonly estimateGb: number
  readonly limitGb: number
}

/** Decides, before launch, whether a configuration fits the GPU. */
export type MemoryGate = (params: ParamValues) => MemoryVerdict

/** Which space parameters feed the memory model (names), next to fixed values in `input`. */
export interface MemoryParamMap {
  readonly batchSize?: string
  readonly seqLen?: string
  readonly loraRank?: string
  readonly targetModules?: string
  readonly gradientCheckpointing?: string
}

/** What `createMemoryGate` needs: the fixed inputs, the parameter mapping and the GPU memory (GiB). */
export interface MemoryGateOptions {
  readonly input: MemoryInput
  readonly params: MemoryParamMap
  readonly limitGb: number
}

/** Builds a gate that estimates each configuration's peak memory (`estimateMemory`) and compares it with the limit. */
export function createMemoryGate(o: MemoryGateOptions): MemoryGate {
  return (params) => {
    const p = o.params
    const input: MemoryInput = {
      ...o.input,
      ...numberParam(params, p.batchSize, 'batchSize'),
      ...numberParam(params, p.seqLen, 'seqLen'),
      ...numberParam(params, p.loraRank, 'loraRank'),
      ...(p.targetModules !== undefined && typeof params[p.targetModules] === 'string'
        ? { targetModules: params[p.targetModules] as TargetModules }
        : {}),
      ...(p.gradientCheckpointing !== undefined && params[p.gradientCheckpointing] !== undefined
        ? { gradientCheckpointing: truthy(params[p.gradientCheckpointing]) }
        : {}),
    }
    const estimateGb = estimateMemory(input).totalGb
    return { fits: estimateGb <= o.limitGb, estimateGb, limitGb: o.limitGb }
  }
}

function numberParam(params: ParamValues, name: string | undefined, key: string): Record<string, number> {
  if (name === undefined) return {}
  const v = params[name]
  return typeof v === 'number'
    ? { [key]: v }
    : typeof v === 'string' && Number.isFinite(Number(v))
      ? { [key]: Number(v) }
      : {}
}

function truthy(v: ParamValues[string]): boolean {
  return v === true || v === 1 || v === 'true' || v === 'yes' || v === 'on'
}

/** Estimates of this study's trials that ran out of memory, and of those that ran without. */
export function memoryObservations(history: readonly FrozenTrial[]): MemoryObservations {
  const oom: number[] = []
  const fit: number[] = []
  for (const t of history) {
    const e = t.systemAttrs.memoryEstimateGb
    if (typeof e !== 'number') continue
    if (t.state === 'FAIL' && t.systemAttrs.failure === 'oom') oom.push(e)
    else if (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'PAUSED') fit.push(e)
  }
  return { oomEstimates: oom, fitEstimates: fit }
}

/**
 * Runs the gate on a trial about to launch (the runner calls it first thing in `launch`). A configuration that
 * fits gets `memoryEstimateGb` recorded, so a later real OOM can correct the limit. One that does not is told
 * FAIL with `infeasible: true, failure: 'oom-predicted', memoryEstimateGb` (the sampler learns from it, as from
 * a real OOM) and is never launched; returns true then. The limit is lowered by past OOMs (`correctedLimit`)
 * and the corrected value is kept in the study's system attrs as `memoryLimitGb`. Trials resuming from a
 * checkpoint already ran with these parameters and are not gated.
 */
export async function gateTrial(
  gate: MemoryGate | undefined,
  study: Study,
  trial: Trial,
  emit: (e: RunnerEvent) => void,
): Promise<boolean> {
  if (gate === undefined || typeof trial.frozen.systemAttrs.checkpoint === 'string') return false
  const verdict = gate(trial.suggested)
  const obs = memoryObservations(await study.trials())
  const limitGb = correctedLimit(verdict.limitGb, obs)
  if (limitGb < verdict.limitGb) {
    const stored = (await study.storage.getStudy(study.id)).systemAttrs.memoryLimitGb
    if (stored !== limitGb) await study.storage.setStudyAttrs(study.id, 'system', { memoryLimitGb: limitGb })
  }
  const estimateGb = round(verdict.estimateGb)
  if (verdict.fits && fitsUnder(verdict.estimateGb, verdict.limitGb, obs)) {
    await study.storage.setTrialAttrs(trial.id, 'system', { memoryEstimateGb: estimateGb })
    return false
  }
  const reason = `predicted out of memory: estimate ${estimateGb} GB > limit ${round(limitGb)} GB${limitGb < verdict.limitGb ? ` (lowered from ${round(verdict.limitGb)} GB by real OOMs)` : ''}`
  const attrs: Record<string, Json> = {
    infeasible: true,
    failure: 'oom-predicted',
    failReason: reason,
    memoryEstimateGb: estimateGb,
    memoryLimitGb: round(limitGb),
  }
  await study.tell(trial, undefined, { state: 'FAIL', systemAttrs: attrs })
  emit({
    type: 'trial-finished',
    number: trial.number,
    state: 'FAIL',
    baseline: trial.frozen.systemAttrs.baseline === true,
    reason,
    wallSeconds: 0,
    gpuSeconds: 0,
  })
  return true
}

function round(gb: number): number {
  return Math.round(gb * 100) / 100
}
