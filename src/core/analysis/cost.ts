import type { Json } from '../json.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/** A cost measured on the trials that recorded it, and what running them all to full fidelity would have cost. */
export interface CostMeasure {
  readonly used: number
  /**
   * What running every trial once to full fidelity would have cost: per trial, the fitted cost of one attempt
   * (`overheadPerAttempt`) plus `ratePerUnit` × the full resource; a crash counts what it cost (it would have
   * crashed at full fidelity too), a retry or PBT child nothing of its own (its configuration is counted once).
   */
  readonly fullEstimate: number
  /** How many trials recorded this cost. */
  readonly trials: number
  /** The fixed cost per attempt (process start, model load, evaluation) fitted across trials; 0 when none shows. */
  readonly overheadPerAttempt: number
  /** The cost per unit of resource (per step, epoch or full-data training) fitted across trials. */
  readonly ratePerUnit: number
}

/** Compute used by a study against running every started trial to full fidelity (running trials once they end). */
export interface CostSummary {
  /** Trials counted as one full training each (they trained something; not a crash, not a retry or PBT child). */
  readonly trials: number
  /** Resource consumed, summed over trials (steps, epochs or data fraction). */
  readonly resourceUsed: number
  /** `trials` × the full resource, plus what crashes (that no retry took on) used: every trial once at full fidelity. */
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
 * Sums what the trials consumed and what running every one of them once to full fidelity would have consumed
 * ("saved N%"). A trial's resource (see `resourceOf`) is what its attempts trained, a restart from scratch paying
 * again; its counterfactual (see `counterfactualOf`) is one full training, or what it cost for a crash, or nothing
 * for a retry or PBT child. GPU-seconds and wall seconds come from `systemAttrs.gpuSeconds` / `wallSeconds`: their
 * full-fidelity estimate is fitted across trials (cost ≈ overhead × attempts + rate × resource) — scaling a whole
 * 10-second trial that spent 9 s loading its model by full / used claimed savings the study never made. Tokens
 * (`systemAttrs.tokens`, the trial's count so far) are turned into a per-unit rate per trial, so a retry that
 * continues a count and a restart that begins one again are both counted once per token trained.
 */
export function computeCost(trials: readonly FrozenTrial[], opts: CostOptions): CostSummary {
  const full = opts.fullResource
  const kind = opts.kind ?? 'steps'
  const unit = resourceUnit(kind)
  let n = 0
  let used = 0
  let resourceFull = 0
  const gpu = timeMeasure()
  const wall = timeMeasure()
  const tokens = { used: 0, full: 0, trials: 0 }
  let running = 0
  const chains = retryChains(trials)
  // Tokens of each chain's trials that reported none (their share comes from a later trial's rate).
  const tokenless = new Set<number>()
  for (const t of trials) {
    const chain = chains.get(t.number)
    // A running trial has not been stopped early (yet), and a waiting one with reports is queued to go on (an
    // interrupted run's, re-queued), as is a failed trial whose retry has not ended: counting any of them at full
    // fidelity would claim savings they may never make, so they are left out until they end.
    if (chain?.unfinished || t.state === 'RUNNING' || (t.state === 'WAITING' && t.intermediate.length > 0)) {
      if (chain?.last === t.number || chain === undefined) running++
      continue
    }
    const r = resourceOf(t, full, kind)
    if (r === undefined) continue
    const role = counterfactualOf(t, r, chain)
    used += r
    if (role === 'full') {
      n++
      resourceFull += full
    } else if (role === 'own') resourceFull += r
    const point = {
      resource: r,
      attempts: typeof t.systemAttrs.attempts === 'number' ? Math.max(1, t.systemAttrs.attempts) : 1,
      role,
      // A crash is no sample of what training costs (it may die a moment after its first report).
      fits: t.state !== 'FAIL',
    }
    gpu.add(t.systemAttrs.gpuSeconds, point)
    wall.add(t.systemAttrs.wallSeconds, point)
    const tok = t.systemAttrs.tokens
    if (typeof tok === 'number' && Number.isFinite(tok)) {
      // Tokens per unit of resource from the trial's own count: per fraction trained for a subset ladder (its count
      // adds every training), else per step reached (a resumed count includes what came before the resume).
      const per = kind === 'data_fraction' ? r : reached(t, full)
      const rho = per > 0 ? tok / per : 0
      const u = per > 0 ? rho * r : tok
      tokens.trials++
      tokens.used += u
      // A retry whose chain began without a token count carries the chain's full training.
      const carries = role === 'none' && chain !== undefined && tokenless.has(chain.root)
      tokens.full += role === 'full' || carries ? rho * full : role === 'own' ? u : 0
      if (carries && chain !== undefined) tokenless.delete(chain.root)
    } else if (role === 'full') tokenless.add(t.number)
  }
  const savedFraction = resourceFull > 0 ? Math.max(0, 1 - used / resourceFull) : 0
  const parts = [`Used ${num(used)} of ${num(resourceFull)} ${unit} (saved ${Math.round(savedFraction * 100)}%)`]
  const gpuCost = gpu.trials > 0 ? gpu.result(full) : undefined
  const wallCost = wall.trials > 0 ? wall.result(full) : undefined
  const tokenCost =
    tokens.trials > 0
      ? { used: tokens.used, fullEstimate: tokens.full, trials: tokens.trials, overheadPerAttempt: 0, ratePerUnit: 0 }
      : undefined
  // CPU-only studies record 0 GPU-seconds; saying "0 of 0 GPU-hours" would be noise.
  if (gpuCost !== undefined && gpuCost.used > 0)
    parts.push(`${hours(gpuCost.used)} of ${hours(gpuCost.fullEstimate)} GPU-hours`)
  if (tokenCost !== undefined)
    parts.push(`${num(Math.round(tokenCost.used))} of ${num(Math.round(tokenCost.fullEstimate))} tokens`)
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

/** What a trial stands for in "every trial once at full fidelity". */
type Counterfactual = 'full' | 'own' | 'none'

/**
 * `full`: one training to full fidelity. `own`: what it cost — it failed, and so did every retry of it (it would have
 * failed at full fidelity too), or it never trained. `none`: it continues a training counted elsewhere (a retry
 * whose chain did not end in a failure, a PBT child), so it adds nothing of its own.
 */
function counterfactualOf(t: FrozenTrial, resource: number, chain: RetryChain | undefined): Counterfactual {
  if (t.systemAttrs.pbt !== undefined) return 'none'
  if (chain !== undefined) {
    if (chain.failed) return 'own'
    return chain.root === t.number ? 'full' : 'none'
  }
  return resource === 0 || t.state === 'FAIL' ? 'own' : 'full'
}

/** A trial and its retries (`systemAttrs.retryOf`), first to last, and how the last one ended. */
interface RetryChain {
  readonly root: number
  readonly last: number
  /** The last one failed too: the configuration never trained past its crashes. */
  readonly failed: boolean
  /** The last one has not ended (queued or running). */
  readonly unfinished: boolean
}

/** The retry chain of every trial that has retries or is one, by trial number. */
function retryChains(trials: readonly FrozenTrial[]): Map<number, RetryChain> {
  const byNumber = new Map(trials.map((t) => [t.number, t]))
  const next = new Map<number, number>()
  for (const t of trials) if (typeof t.systemAttrs.retryOf === 'number') next.set(t.systemAttrs.retryOf, t.number)
  const chains = new Map<number, RetryChain>()
  for (const t of trials) {
    if (typeof t.systemAttrs.retryOf === 'number' || !next.has(t.number)) continue
    const members = [t.number]
    for (let n = next.get(t.number); n !== undefined && !members.includes(n); n = next.get(n)) members.push(n)
    const last = byNumber.get(members[members.length - 1])
    const chain: RetryChain = {
      root: t.number,
      last: last?.number ?? t.number,
      failed: last?.state === 'FAIL',
      unfinished: last?.state === 'WAITING' || last?.state === 'RUNNING',
    }
    for (const m of members) chains.set(m, chain)
  }
  return chains
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

/** One trial as a time estimate sees it. */
interface CostPoint {
  /** The resource it trained (over all its attempts). */
  readonly resource: number
  readonly attempts: number
  readonly role: Counterfactual
  /** Whether it is a sample for the fit (not a crash). */
  readonly fits: boolean
}

/** Collects one time cost (wall or GPU seconds) over the trials and estimates it at full fidelity (`CostMeasure`). */
function timeMeasure() {
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
    result(full: number): CostMeasure {
      // Only crashes trained something: they are the only samples there are.
      const samples = points.filter((p) => p.fits && p.resource > 0)
      const { overhead, rate } = fitCost(samples.length > 0 ? samples : points)
      let fullEstimate = 0
      for (const p of points) {
        // Nothing to fit at all (no trial trained anything): a full training is taken to cost what this one did.
        const one = overhead > 0 || rate > 0 ? overhead + rate * full : p.x
        fullEstimate += p.role === 'full' ? one : p.role === 'own' ? p.x : 0
      }
      return { used, fullEstimate, trials: points.length, overheadPerAttempt: overhead, ratePerUnit: rate }
    },
  }
}

/**
 * cost ≈ overhead × attempts + rate × resource, fitted by least squares over the trials that trained something,
 * both never negative. When the resources barely vary (overhead and rate cannot be told apart) the cost is taken as
 * proportional (overhead 0); when it does not grow with the resource at all, it is all overhead (rate 0).
 */
export function fitCost(points: readonly { x: number; resource: number; attempts: number }[]): {
  overhead: number
  rate: number
} {
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
  if (!(kk > 0)) return { overhead: 0, rate: 0 }
  const proportional = { overhead: 0, rate: Math.max(0, rx / rr) }
  const det = kk * rr - kr * kr
  // det / (kk·rr) = 1 − cos²(attempts, resource): below 1 % the resources are too alike (steps 98, 99, 100) for the
  // intercept to mean anything.
  if (!(det > 0.01 * kk * rr)) return proportional
  const overhead = (rr * kx - kr * rx) / det
  const rate = (kk * rx - kr * kx) / det
  if (rate < 0) return { overhead: Math.max(0, kx / kk), rate: 0 }
  if (overhead < 0) return proportional
  return { overhead, rate }
}

function num(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** GPU-hours to two significant digits below 1 h (a short CPU-scale study used 0.0042, not "0.00"), else one decimal. */
function hours(seconds: number): string {
  const h = seconds / 3600
  return h >= 1 ? h.toFixed(1) : h > 0 ? String(Number(h.toPrecision(2))) : '0'
}
