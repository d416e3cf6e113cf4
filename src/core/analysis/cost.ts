import type { Json } from '../json.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'
import { type CostMeasure, timeMeasure } from './cost-fit.ts'
import { type RetryChain, retryChains } from './retry-chains.ts'

export type { CostMeasure } from './cost-fit.ts'

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
  const parts = [`Used ${num(used)} of ${num(resourceFull)} ${unit} (${savedPhrase(used, resourceFull)})`]
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

/**
 * The saving against every trial once to full fidelity, in a sentence: "saved 66%", or, when retries, restarts from
 * scratch or a population spent more, "7% more than running every trial once to full fidelity" (a clamped "saved 0%"
 * hid the overspend). Status, the report, the dashboard and the end of `tune` all say it through here or `savedCell`.
 */
export function savedPhrase(used: number, full: number): string {
  if (!(full > 0)) return 'saved 0%'
  const saved = Math.round((1 - used / full) * 100)
  if (saved >= 0) return `saved ${saved}%`
  return `${-saved}% more than running every trial once to full fidelity`
}

/** The same for a table cell or a card: "66 %", "none (7 % more)" when more was spent, "–" when nothing ran. */
export function savedCell(used: number, full: number): string {
  if (!(full > 0)) return '–'
  const saved = Math.round((1 - used / full) * 100)
  return saved >= 0 ? `${saved} %` : `none (${-saved} % more)`
}

/** What a trial stands for in "every trial once at full fidelity". */
export type Counterfactual = 'full' | 'own' | 'none'

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

function num(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** GPU-hours to two significant digits below 1 h (a short CPU-scale study used 0.0042, not "0.00"), else one decimal. */
function hours(seconds: number): string {
  const h = seconds / 3600
  return h >= 1 ? h.toFixed(1) : h > 0 ? String(Number(h.toPrecision(2))) : '0'
}
