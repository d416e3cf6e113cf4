import type { Json } from '../json.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/** A cost measured on the trials that recorded it, and what running them all to full fidelity would have cost. */
export interface CostMeasure {
  readonly used: number
  /** Each trial's cost scaled by full / resource used (linear in the resource), summed. */
  readonly fullEstimate: number
  /** How many trials recorded this cost. */
  readonly trials: number
}

/** Compute used by a study against running every started trial to full fidelity (running trials once they end). */
export interface CostSummary {
  /** Trials that used some of the resource (reported, or COMPLETE); their sum and full-fidelity cost are below. */
  readonly trials: number
  /** Resource consumed, summed over trials (steps, epochs or data fraction). */
  readonly resourceUsed: number
  /** trials × full resource. */
  readonly resourceFull: number
  /** 1 − used / full (0 when nothing ran). */
  readonly savedFraction: number
  readonly gpuSeconds?: CostMeasure
  readonly wallSeconds?: CostMeasure
  readonly tokens?: CostMeasure
  /** E.g. "Used 3,400 of 10,000 steps (saved 66%); 1.2 of 3.5 GPU-hours." */
  readonly message: string
}

/**
 * The unit a resource kind is counted in, for messages: steps and epochs as they are; data fractions summed over
 * trials count trainings on the full data (a trial on 30 % of it is 0.3 of one).
 */
export function resourceUnit(kind: string): string {
  return kind === 'data_fraction' ? 'full-data trainings' : kind
}

/** Options of `computeCost`. */
export interface CostOptions {
  /** The resource of one full-fidelity trial (e.g. max steps). */
  readonly fullResource: number
  /** Unit name for the message. @default 'steps' */
  readonly unit?: string
}

/**
 * Sums what the trials consumed and what every one of them would have consumed at full fidelity ("saved N%").
 * A trial's resource is `systemAttrs.resourceUsed` when the runner recorded it (needed when resumed trials
 * re-pay, e.g. data-fraction rungs), else the step of its last report, else the full resource for a COMPLETE
 * trial without reports. GPU-seconds, wall seconds and tokens come from `systemAttrs.gpuSeconds`, `wallSeconds`
 * and `tokens` where present; their full-fidelity estimate scales each trial's figure by full / used.
 */
export function computeCost(trials: readonly FrozenTrial[], opts: CostOptions): CostSummary {
  const full = opts.fullResource
  const unit = opts.unit ?? 'steps'
  let n = 0
  let used = 0
  const gpu = measure()
  const wall = measure()
  const tokens = measure()
  let running = 0
  for (const t of trials) {
    // A running trial has not been stopped early (yet): counting it at full fidelity would claim savings it may never
    // make, so it is left out until it ends.
    if (t.state === 'RUNNING') {
      running++
      continue
    }
    const r = resourceOf(t, full)
    if (r === undefined) continue
    // A trial that reported nothing (failed at start) saved nothing either: its GPU-hours count, but counting its
    // full resource in "what all trials at full fidelity would cost" would claim savings.
    if (r > 0) {
      n++
      used += r
    }
    gpu.add(t.systemAttrs.gpuSeconds, r, full)
    wall.add(t.systemAttrs.wallSeconds, r, full)
    tokens.add(t.systemAttrs.tokens, r, full)
  }
  const resourceFull = n * full
  const savedFraction = resourceFull > 0 ? Math.max(0, 1 - used / resourceFull) : 0
  const parts = [`Used ${num(used)} of ${num(resourceFull)} ${unit} (saved ${Math.round(savedFraction * 100)}%)`]
  // CPU-only studies record 0 GPU-seconds; saying "0.00 of 0.00 GPU-hours" would be noise.
  if (gpu.trials > 0 && gpu.used > 0) parts.push(`${hours(gpu.used)} of ${hours(gpu.fullEstimate)} GPU-hours`)
  if (tokens.trials > 0) parts.push(`${num(tokens.used)} of ${num(tokens.fullEstimate)} tokens`)
  return {
    trials: n,
    resourceUsed: used,
    resourceFull,
    savedFraction,
    ...(gpu.trials > 0 ? { gpuSeconds: gpu.result() } : {}),
    ...(wall.trials > 0 ? { wallSeconds: wall.result() } : {}),
    ...(tokens.trials > 0 ? { tokens: tokens.result() } : {}),
    message: `${parts.join('; ')}${running > 0 ? ` (${running} running trial${running === 1 ? '' : 's'} not counted yet)` : ''}.`,
  }
}

/** What the trials consumed, summed over those that recorded it (any state): the study's bill without savings. */
export interface Usage {
  /** Trials that recorded a wall time (they ran). */
  readonly trials: number
  readonly wallSeconds: number
  readonly gpuSeconds: number
  readonly tokens: number
}

/**
 * Sums `systemAttrs.wallSeconds`, `gpuSeconds` and `tokens` over the trials. Used where there is no resource to
 * save (no scheduler, one report per trial), so the compute a study cost is still counted.
 */
export function totalUsage(trials: readonly FrozenTrial[]): Usage {
  let n = 0
  let wall = 0
  let gpu = 0
  let tokens = 0
  const add = (x: Json | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0)
  for (const t of trials) {
    const w = t.systemAttrs.wallSeconds
    if (typeof w === 'number' && Number.isFinite(w)) n++
    wall += add(w)
    gpu += add(t.systemAttrs.gpuSeconds)
    tokens += add(t.systemAttrs.tokens)
  }
  return { trials: n, wallSeconds: wall, gpuSeconds: gpu, tokens }
}

/** The resource a trial consumed, or undefined when it never started. */
function resourceOf(t: FrozenTrial, full: number): number | undefined {
  const recorded = t.systemAttrs.resourceUsed
  if (typeof recorded === 'number' && Number.isFinite(recorded)) return recorded
  if (t.intermediate.length > 0) return t.intermediate[t.intermediate.length - 1].step
  if (t.state === 'COMPLETE') return full
  if (t.state === 'WAITING') return undefined
  return 0
}

function measure() {
  let used = 0
  let fullEstimate = 0
  let trials = 0
  return {
    get trials() {
      return trials
    },
    get used() {
      return used
    },
    get fullEstimate() {
      return fullEstimate
    },
    add(x: Json | undefined, resource: number, full: number) {
      if (typeof x !== 'number' || !Number.isFinite(x)) return
      trials++
      used += x
      // A trial stopped at 0 resource has no rate to extrapolate from; count what it used.
      fullEstimate += resource > 0 ? (x * full) / resource : x
    },
    result(): CostMeasure {
      return { used, fullEstimate, trials }
    },
  }
}

function num(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

function hours(seconds: number): string {
  return (seconds / 3600).toFixed(seconds < 360 ? 2 : 1)
}
