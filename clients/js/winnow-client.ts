/**
 * Winnow's trial client for JavaScript / TypeScript training scripts. Zero dependencies: Node built-ins and
 * the global `fetch` only, so a trial can import this one file.
 *
 * @example
 * import { connect } from './winnow-client.ts'
 * const w = connect()
 * const lr = Number(w.params.learning_rate ?? 3e-4)
 * for (let step = 1; step <= 100; step++) {
 *   const d = await w.report(step, { eval_loss: evaluate() })
 *   if (d.action !== 'continue') break          // pruned or paused: save and stop
 * }
 * await w.complete({ eval_loss: evaluate() })
 *
 * Transport: HTTP to `WINNOW_REPORT_URL` with `Authorization: Bearer $WINNOW_TOKEN` when set; otherwise, when
 * the script runs under Winnow (`WINNOW_TRIAL_ID` set), `WINNOW {json}` lines on stdout (decisions cannot come
 * back that way: the runner enforces them with signals). Outside Winnow every call is a no-op and `report`
 * returns `{action: 'continue'}`, so the same script runs by hand.
 *
 * If the runner cannot be reached (it crashed or was killed), `report` answers `pause` with a reason: the
 * script should save a checkpoint and exit; the next `winnow tune` re-runs the trial from that checkpoint.
 * Only rank 0 of a multi-process trial (`RANK` / `LOCAL_RANK` unset or 0) sends anything.
 */

/** Parameter values of a trial. */
export type ParamValue = number | string | boolean | null

/** What Winnow answers to a report. */
export interface Decision {
  readonly action: 'continue' | 'prune' | 'pause'
  readonly reason?: string
  readonly rung?: number
}

/** Metric values; NaN and ±Infinity are sent as strings so JSON can carry them. */
export type MetricValues = Readonly<Record<string, number | string | boolean | null | undefined>>

/** A connection to the Winnow runner of this trial. */
export interface WinnowTrial {
  /** Whether the script runs under Winnow. */
  readonly active: boolean
  readonly params: Readonly<Record<string, ParamValue>>
  readonly trialId: string | undefined
  readonly trialNumber: number | undefined
  readonly study: string | undefined
  /** This trial's own checkpoint folder. */
  readonly checkpointDir: string | undefined
  /** A checkpoint to continue from (resumed or promoted trial), if any. */
  readonly resumeFrom: string | undefined
  /** The resource (steps / epochs / data fraction) to reach in this run, if the scheduler set one. */
  readonly target: number | undefined
  /** Reports metrics at a step and returns Winnow's decision. */
  report(step: number, metrics: MetricValues): Promise<Decision>
  /** Tells Winnow where the latest checkpoint is (kept for resume, pruned by the retention policy). */
  checkpoint(path: string, step?: number): Promise<void>
  /** Reports the final metrics. */
  complete(metrics: MetricValues): Promise<void>
  /** Marks the trial failed with a message (the script should then exit). */
  fail(message: string): Promise<void>
}

const CONTINUE: Decision = { action: 'continue' }

/** Connects to Winnow from the environment (`WINNOW_*` variables); outside Winnow returns a no-op client. */
export function connect(env: Readonly<Record<string, string | undefined>> = process.env): WinnowTrial {
  return new Client(env)
}

class Client implements WinnowTrial {
  readonly active: boolean
  readonly params: Readonly<Record<string, ParamValue>>
  readonly trialId: string | undefined
  readonly trialNumber: number | undefined
  readonly study: string | undefined
  readonly checkpointDir: string | undefined
  readonly resumeFrom: string | undefined
  readonly target: number | undefined
  private readonly url: string | undefined
  private readonly token: string
  private readonly rankZero: boolean

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.trialId = env.WINNOW_TRIAL_ID || undefined
    this.active = this.trialId !== undefined
    this.params = parseParams(env.WINNOW_PARAMS)
    this.trialNumber = optionalNumber(env.WINNOW_TRIAL_NUMBER)
    this.study = env.WINNOW_STUDY || undefined
    this.checkpointDir = env.WINNOW_CHECKPOINT_DIR || undefined
    this.resumeFrom = env.WINNOW_RESUME_FROM || undefined
    this.target = optionalNumber(env.WINNOW_TARGET)
    this.url = env.WINNOW_REPORT_URL || undefined
    this.token = env.WINNOW_TOKEN ?? ''
    // An empty RANK counts as unset (as in the Python client), so LOCAL_RANK decides.
    const rank = env.RANK || env.LOCAL_RANK
    this.rankZero = rank === undefined || rank === '' || rank === '0'
  }

  async report(step: number, metrics: MetricValues): Promise<Decision> {
    const body = await this.send('report', { step, metrics: encodeMetrics(metrics) })
    const d = (body as { decision?: Decision } | undefined)?.decision
    return d !== undefined && typeof d.action === 'string' ? d : CONTINUE
  }

  async checkpoint(path: string, step?: number): Promise<void> {
    await this.send('checkpoint', step === undefined ? { path } : { path, step })
  }

  async complete(metrics: MetricValues): Promise<void> {
    await this.send('complete', { metrics: encodeMetrics(metrics) })
  }

  async fail(message: string): Promise<void> {
    await this.send('fail', { message })
  }

  private async send(type: string, payload: Record<string, unknown>): Promise<unknown> {
    if (!this.active || !this.rankZero) return undefined
    if (this.url === undefined) {
      process.stdout.write(`WINNOW ${JSON.stringify({ type, ...payload })}\n`)
      return undefined
    }
    let lastError: unknown
    // A few quick retries ride over a busy runner; past that the runner is gone.
    for (const wait of [0, 200, 500, 1000]) {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      try {
        const res = await fetch(`${this.url}/${type}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(30_000),
        })
        const text = await res.text()
        if (res.status === 401 || res.status === 400)
          throw new Error(`Winnow rejected the ${type} message (HTTP ${res.status}): ${text}`)
        if (!res.ok) {
          lastError = new Error(`HTTP ${res.status}: ${text}`)
          continue
        }
        return text === '' ? undefined : JSON.parse(text)
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('Winnow rejected')) throw e
        lastError = e
      }
    }
    if (type === 'report')
      return {
        decision: { action: 'pause', reason: `Winnow runner unreachable at ${this.url}: ${String(lastError)}` },
      }
    return undefined
  }
}

function parseParams(raw: string | undefined): Record<string, ParamValue> {
  if (raw === undefined || raw === '') return {}
  try {
    const v = JSON.parse(raw)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}
  } catch {
    throw new Error(`WINNOW_PARAMS is not valid JSON: ${raw.slice(0, 80)}`)
  }
}

function optionalNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) ? n : undefined
}

function encodeMetrics(metrics: MetricValues): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {}
  for (const [k, v] of Object.entries(metrics)) {
    if (v === undefined) continue
    out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v
  }
  return out
}
