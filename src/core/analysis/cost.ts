import type { Json } from '../json.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/** A cost measured on the trials that recorded it, and what running them all to full fidelity would have cost. */
export interface CostMeasure {
  readonly used: number
  /**
   * What every trial would have cost at full fidelity: what it used plus the rest of the resource at its own rate,
   * the per-attempt overhead (process start, model load: the fitted `overheadPerAttempt`) not scaled up.
   */
  readonly fullEstimate: number
  /** How many trials recorded this cost. */
  readonly trials: number
  /** The fixed cost per attempt fitted across trials (0 when the trials show none, or too few to tell). */
  readonly overheadPerAttempt: number
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
  /**
   * The resource's kind: `steps` / `epochs` accumulate within a training; with `data_fraction` each fraction a
   * trial reported is counted as a training on that share of the data (a subset ladder retrains at every rung).
   * @default 'steps'
   */
  readonly kind?: string
}

/**
 * Sums what the trials consumed and what every one of them would have consumed at full fidelity ("saved N%").
 * A trial's resource (see `resourceOf`) is what its attempts trained, a restart from scratch paying again.
 * GPU-seconds, wall seconds and tokens come from `systemAttrs.gpuSeconds`, `wallSeconds` and `tokens` where
 * present; their full-fidelity estimate (see `CostMeasure.fullEstimate`) extrapolates only the part that grows
 * with the resource: scaling a whole 10-second trial that spent 9 s loading its model by full / used claimed
 * savings the study never made.
 */
export function computeCost(trials: readonly FrozenTrial[], opts: CostOptions): CostSummary {
  const full = opts.fullResource
  const kind = opts.kind ?? 'steps'
  const unit = resourceUnit(kind)
  let n = 0
  let used = 0
  const gpu = measure()
  const wall = measure()
  const tokens = measure()
  let running = 0
  // Trials whose configuration went on in another trial (a retry resuming it): not extrapolated to full fidelity,
  // the continuation is.
  const continued = new Set<number>()
  for (const t of trials) if (typeof t.systemAttrs.retryOf === 'number') continued.add(t.systemAttrs.retryOf)
  for (const t of trials) {
    // A running trial has not been stopped early (yet), and a waiting one with reports is queued to go on (an
    // interrupted run's, re-queued): counting either at full fidelity would claim savings it may never make, so it
    // is left out until it ends.
    if (t.state === 'RUNNING' || (t.state === 'WAITING' && t.intermediate.length > 0)) {
      running++
      continue
    }
    const r = resourceOf(t, full, kind)
    if (r === undefined) continue
    // A trial that reported nothing (failed at start) saved nothing either: its GPU-hours count, but counting its
    // full resource in "what all trials at full fidelity would cost" would claim savings. A retry or a PBT child
    // continues a training already counted: what it trains is used, but it adds no training of its own to the
    // full-fidelity count.
    if (r > 0) {
      used += r
      if (typeof t.systemAttrs.retryOf !== 'number' && t.systemAttrs.pbt === undefined) n++
    }
    const point = {
      resource: r,
      attempts: typeof t.systemAttrs.attempts === 'number' ? Math.max(1, t.systemAttrs.attempts) : 1,
      // How far it got (not what it trained: a restart from scratch trains more than its last step).
      remaining: continued.has(t.number) || r === 0 ? 0 : Math.max(0, full - reached(t, full)),
      // A crash is no sample of what training costs (it may die a moment after its first report).
      fits: t.state !== 'FAIL',
    }
    gpu.add(t.systemAttrs.gpuSeconds, point)
    wall.add(t.systemAttrs.wallSeconds, point)
    tokens.add(t.systemAttrs.tokens, point)
  }
  const resourceFull = n * full
  const savedFraction = resourceFull > 0 ? Math.max(0, 1 - used / resourceFull) : 0
  const parts = [`Used ${num(used)} of ${num(resourceFull)} ${unit} (saved ${Math.round(savedFraction * 100)}%)`]
  const gpuCost = gpu.trials > 0 ? gpu.result() : undefined
  const wallCost = wall.trials > 0 ? wall.result() : undefined
  const tokenCost = tokens.trials > 0 ? tokens.result() : undefined
  // CPU-only studies record 0 GPU-seconds; saying "0.00 of 0.00 GPU-hours" would be noise.
  if (gpuCost !== undefined && gpuCost.used > 0)
    parts.push(`${hours(gpuCost.used)} of ${hours(gpuCost.fullEstimate)} GPU-hours`)
  if (tokenCost !== undefined) parts.push(`${num(tokenCost.used)} of ${num(Math.round(tokenCost.fullEstimate))} tokens`)
  return {
    trials: n,
    resourceUsed: used,
    resourceFull,
    savedFraction,
    ...(gpuCost ? { gpuSeconds: gpuCost } : {}),
    ...(wallCost ? { wallSeconds: wallCost } : {}),
    ...(tokenCost ? { tokens: tokenCost } : {}),
    message: `${parts.join('; ')}${running > 0 ? ` (${running} unfinished trial${running === 1 ? '' : 's'} not counted yet)` : ''}.`,
  }
}

/** How far a trial got: its furthest report (a COMPLETE trial without reports went all the way). */
function reached(t: FrozenTrial, full: number): number {
  if (t.intermediate.length === 0) return t.state === 'COMPLETE' ? full : 0
  return Math.max(...t.intermediate.map((p) => p.step))
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

/**
 * The resource a trial consumed, or undefined when it never started: with `data_fraction`, the sum of the distinct
 * fractions it reported (each a training on that share; a script that continues from the smaller subset's weights
 * spent less than counted, so the savings are if anything understated); otherwise `systemAttrs.resourceUsed`, which
 * the runner sums over attempts (a promoted trial that restarted from scratch, without a checkpoint, paid its steps
 * again), else the step of its last report; a COMPLETE trial without reports counts the full resource.
 */
function resourceOf(t: FrozenTrial, full: number, kind: string): number | undefined {
  if (kind === 'data_fraction' && t.intermediate.length > 0)
    return [...new Set(t.intermediate.map((p) => p.step))].reduce((a, b) => a + b, 0)
  const recorded = t.systemAttrs.resourceUsed
  if (typeof recorded === 'number' && Number.isFinite(recorded)) return recorded
  if (t.intermediate.length > 0) return t.intermediate[t.intermediate.length - 1].step
  if (t.state === 'COMPLETE') return full
  if (t.state === 'WAITING') return undefined
  return 0
}

/** One trial as the cost estimate sees it. */
interface CostPoint {
  /** The resource it trained (over all its attempts). */
  readonly resource: number
  readonly attempts: number
  /** The resource still to go to full fidelity from where it stopped (0: it got there, or went on elsewhere). */
  readonly remaining: number
  /** Whether it is a sample for the overhead fit (not a crash). */
  readonly fits: boolean
}

/** Collects one cost over the trials and estimates it at full fidelity (see `CostMeasure`). */
function measure() {
  const points: (CostPoint & { x: number })[] = []
  let used = 0
  return {
    get trials() {
      return points.length
    },
    add(x: Json | undefined, p: CostPoint) {
      if (typeof x !== 'number' || !Number.isFinite(x)) return
      points.push({ ...p, x })
      used += x
    },
    result(): CostMeasure {
      const overhead = overheadPerAttempt(points.filter((p) => p.fits))
      let fullEstimate = 0
      for (const p of points) {
        // The rest at the trial's own rate: its cost above the fixed per-attempt part, per unit it trained.
        const rate = p.resource > 0 ? Math.max(0, p.x - overhead * p.attempts) / p.resource : 0
        fullEstimate += p.x + rate * p.remaining
      }
      return { used, fullEstimate, trials: points.length, overheadPerAttempt: overhead }
    },
  }
}

/**
 * The fixed cost per attempt `a` in cost ≈ a·attempts + b·resource, fitted by least squares over the trials that
 * trained something; 0 when the fit has no footing — the resources barely vary (overhead and rate cannot be told
 * apart, so the cost is taken as proportional), or the cost does not grow with the resource at all as far as the
 * trials show (then all of it is overhead). Never negative.
 */
export function overheadPerAttempt(points: readonly { x: number; resource: number; attempts: number }[]): number {
  let kk = 0
  let kr = 0
  let rr = 0
  let kx = 0
  let rx = 0
  for (const p of points) {
    if (!(p.resource > 0)) continue
    kk += p.attempts * p.attempts
    kr += p.attempts * p.resource
    rr += p.resource * p.resource
    kx += p.attempts * p.x
    rx += p.resource * p.x
  }
  const det = kk * rr - kr * kr
  // det / (kk·rr) = 1 − cos²(attempts, resource): below 1 % the resources are too alike (steps 98, 99, 100) for the
  // intercept to mean anything.
  if (!(kk > 0) || !(det > 0.01 * kk * rr)) return 0
  const b = (kk * rx - kr * kx) / det
  const a = b < 0 ? kx / kk : (rr * kx - kr * rx) / det
  return Math.max(0, a)
}

function num(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** GPU-hours to two significant digits below 1 h (a short CPU-scale study used 0.0042, not "0.00"), else one decimal. */
function hours(seconds: number): string {
  const h = seconds / 3600
  return h >= 1 ? h.toFixed(1) : h > 0 ? String(Number(h.toPrecision(2))) : '0'
}
