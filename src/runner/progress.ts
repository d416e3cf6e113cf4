import { createLogUpdate } from 'log-update'
import pc from 'picocolors'
import { gainOver } from '../core/analysis/baseline.ts'
import { dominates } from '../core/analysis/pareto.ts'
import type { Direction } from '../core/trial/frozen-trial.ts'
import type { RunnerEvent } from './events.ts'

/** What the progress view knows, derived from runner events only. */
export interface ProgressState {
  study: string
  startedAt: number
  done: number
  running: Set<number>
  completed: number
  pruned: number
  failed: number
  paused: number
  requeued: number
  best?: { number: number; value: number }
  baseline?: TrialValue
  /**
   * Several objectives (shown instead of a best): the Pareto front of the completed trials' values, kept as
   * trials finish so a redraw costs nothing, and how many completed trials it was drawn from.
   */
  front?: { readonly directions: readonly Direction[]; points: number[][]; seen: number }
  gpuSeconds: number
  budget: { trials?: number; wallTimeSeconds?: number; gpuHours?: number }
  finishedBefore: number
  lastLine?: string
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  readonly direction?: Direction
  /** @default process.stdout */
  readonly stream?: NodeJS.WriteStream
  /** Redraw in place (log-update); false prints one plain line per finished trial. @default stream.isTTY */
  readonly tty?: boolean
  readonly now?: () => number
  /**
   * The best and the baseline trial the study already had when this run started (a continued study): the live
   * "best" and its gain are the study's, not only this run's.
   */
  readonly earlier?: { readonly best?: TrialValue; readonly baseline?: TrialValue; readonly points?: number[][] }
  /** Every objective's direction; with several, the progress shows the Pareto front's size instead of a best. */
  readonly directions?: readonly Direction[]
}

/** A trial's number and its (first objective's) value; `infeasible` when it broke a constraint. */
export interface TrialValue {
  readonly number: number
  readonly value: number
  readonly infeasible?: boolean
}

/** A live progress view of a run: feed it the runner's events (`onEvent: progress.onEvent`). */
export interface Progress {
  onEvent(e: RunnerEvent): void
  /** Stops redrawing and leaves the last frame on screen. */
  close(): void
  readonly state: ProgressState
}

/**
 * Renders a run's progress: trials done / running / pruned / failed, best so far and its gain over the
 * baseline, budget used and an ETA. On a terminal the block is redrawn in place (at most 10 times a second);
 * piped output (CI logs, `| tee`) gets one plain line per finished trial and no colour codes.
 */
export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stdout
  const tty = opts.tty ?? stream.isTTY === true
  const now = opts.now ?? Date.now
  const direction = opts.direction ?? 'minimize'
  const state: ProgressState = {
    study: '',
    startedAt: now(),
    done: 0,
    running: new Set(),
    completed: 0,
    pruned: 0,
    failed: 0,
    paused: 0,
    requeued: 0,
    gpuSeconds: 0,
    budget: {},
    finishedBefore: 0,
    ...(opts.earlier?.best ? { best: { ...opts.earlier.best } } : {}),
    ...(opts.earlier?.baseline ? { baseline: { ...opts.earlier.baseline } } : {}),
  }
  if (opts.directions !== undefined && opts.directions.length > 1) {
    state.front = { directions: opts.directions, points: [], seen: 0 }
    for (const p of opts.earlier?.points ?? []) addToFront(state.front, p)
  }
  const draw = tty ? createLogUpdate(stream) : undefined
  let last = 0
  let timer: NodeJS.Timeout | undefined
  const redraw = (force = false) => {
    if (draw === undefined) return
    const t = now()
    if (!force && t - last < 100) {
      timer ??= setTimeout(() => {
        timer = undefined
        redraw(true)
      }, 100)
      return
    }
    last = t
    draw(renderProgress(state, direction, t, true).join('\n'))
  }
  return {
    state,
    onEvent(e) {
      const line = applyEvent(state, e, direction)
      if (tty) redraw(e.type === 'run-finished')
      else if (line !== undefined) stream.write(`${line}\n`)
    },
    close() {
      clearTimeout(timer)
      if (draw !== undefined) {
        draw(renderProgress(state, direction, now(), true).join('\n'))
        draw.done()
      }
    },
  }
}

/** Updates the state with one event; returns the plain line to print for it (non-TTY mode), if any. */
export function applyEvent(s: ProgressState, e: RunnerEvent, direction: Direction): string | undefined {
  switch (e.type) {
    case 'run-started':
      s.study = e.study
      s.budget = e.budget
      s.finishedBefore = e.finishedBefore
      return `winnow: study "${e.study}", ${e.concurrency} at a time${e.finishedBefore > 0 ? `, continuing after ${e.finishedBefore} finished trials` : ''}${e.sweep !== undefined ? sweepNote(e.sweep, e.budget.trials) : ''}`
    case 'trials-recovered':
      return `recovered ${e.numbers.length === 1 ? 'trial' : 'trials'} ${e.numbers.map((n) => `#${n}`).join(', ')} of a dead worker; ${howTheyResume(e.numbers, e.fromScratch ?? [])}`
    case 'trial-started':
      s.running.add(e.number)
      return undefined
    case 'trial-reported':
      return undefined
    case 'trial-finished': {
      s.running.delete(e.number)
      s.gpuSeconds += e.gpuSeconds
      const v = e.values?.[0]
      if (e.state === 'COMPLETE') {
        s.completed++
        if (s.front !== undefined && e.values !== undefined && !e.infeasible) addToFront(s.front, e.values)
        if (
          v !== undefined &&
          !e.infeasible &&
          (s.best === undefined || (direction === 'minimize' ? v < s.best.value : v > s.best.value))
        )
          s.best = { number: e.number, value: v }
        if (e.baseline && v !== undefined)
          s.baseline = { number: e.number, value: v, ...(e.infeasible ? { infeasible: true } : {}) }
      } else if (e.state === 'PRUNED') s.pruned++
      else if (e.state === 'FAIL') s.failed++
      else if (e.state === 'PAUSED') s.paused++
      else if (e.state === 'WAITING') s.requeued++
      if (e.state === 'COMPLETE' || e.state === 'PRUNED' || e.state === 'FAIL') s.done++
      const shown = s.front !== undefined ? e.values?.map(fmt).join(', ') : v !== undefined ? fmt(v) : undefined
      const why = e.reason !== undefined ? ` (${e.reason})` : ''
      const what = shown !== undefined ? ` ${shown}${e.infeasible ? why : ''}` : why
      s.lastLine = `trial #${e.number} ${e.state}${what}${e.baseline ? ' [baseline]' : ''}`
      return `${s.lastLine} | ${summaryLine(s, direction, Date.now())}`
    }
    case 'finished-elsewhere': {
      for (const t of e.trials) {
        const v = t.values[0]
        if (t.baseline) s.baseline = { number: t.number, value: v, ...(t.infeasible ? { infeasible: true } : {}) }
        if (t.infeasible) continue
        if (s.front !== undefined) addToFront(s.front, t.values)
        if (s.best === undefined || (direction === 'minimize' ? v < s.best.value : v > s.best.value))
          s.best = { number: t.number, value: v }
      }
      const list = e.trials.map((t) => `#${t.number} ${t.values.map(fmt).join(', ')}`).join('; ')
      return `completed by another worker: ${list} | ${summaryLine(s, direction, Date.now())}`
    }
    case 'budget-exhausted':
      return `budget reached: ${e.which}`
    case 'warning':
      return `warning: ${e.message}`
    case 'run-finished':
      return `done: ${summaryLine(s, direction, Date.now())} (stopped by ${e.summary.stoppedBy})`
  }
}

/** The lines of the live block. */
export function renderProgress(s: ProgressState, direction: Direction, now: number, colour: boolean): string[] {
  const c = colour ? pc : { green: id, yellow: id, red: id, cyan: id, bold: id, dim: id }
  const trials = s.budget.trials !== undefined ? `${s.done + s.finishedBefore}/${s.budget.trials}` : `${s.done}`
  const lines = [
    `${c.bold(s.study)}  trials ${trials}  ${c.cyan(`running ${s.running.size}`)}  ${c.green(`complete ${s.completed}`)}  ${c.yellow(`pruned ${s.pruned}`)}  ${c.red(`failed ${s.failed}`)}${s.paused > 0 ? `  paused ${s.paused}` : ''}`,
    bestText(s, direction),
    `elapsed ${duration((now - s.startedAt) / 1000)}  gpu ${(s.gpuSeconds / 3600).toFixed(2)}h${s.budget.gpuHours !== undefined ? `/${s.budget.gpuHours}h` : ''}  eta ${eta(s, now)}`,
  ]
  if (s.lastLine !== undefined) lines.push(c.dim(s.lastLine))
  return lines
}

function summaryLine(s: ProgressState, direction: Direction, now: number): string {
  return `finished ${s.done} running ${s.running.size} pruned ${s.pruned} failed ${s.failed} ${bestText(s, direction)} eta ${eta(s, now)}`
}

function bestText(s: ProgressState, direction: Direction): string {
  if (s.front !== undefined)
    return s.front.seen === 0 ? 'Pareto front -' : `Pareto front ${s.front.points.length} of ${s.front.seen}`
  if (s.best === undefined) return 'best -'
  let text = `best ${fmt(s.best.value)} (#${s.best.number})`
  if (s.baseline !== undefined) {
    const g = gainOver(s.baseline.value, s.best.value, direction)
    // A baseline that broke a constraint is a configuration the user could not run: the gain says so.
    if (g !== undefined)
      text += ` ${g >= 0 ? '+' : ''}${(100 * g).toFixed(1)}% vs baseline ${fmt(s.baseline.value)}${s.baseline.infeasible ? ' (infeasible)' : ''}`
  }
  return text
}

/** Adds a completed trial's values to the front: dropped when dominated, else kept and what it dominates removed. */
function addToFront(front: NonNullable<ProgressState['front']>, values: readonly number[]): void {
  front.seen++
  if (front.points.some((p) => dominates(p, values, front.directions))) return
  front.points = [...front.points.filter((p) => !dominates(values, p, front.directions)), [...values]]
}

function eta(s: ProgressState, now: number): string {
  const elapsed = (now - s.startedAt) / 1000
  const left: number[] = []
  if (s.budget.wallTimeSeconds !== undefined) left.push(Math.max(0, s.budget.wallTimeSeconds - elapsed))
  if (s.budget.trials !== undefined && s.done > 0) {
    const remaining = Math.max(0, s.budget.trials - s.finishedBefore - s.done)
    left.push((elapsed / s.done) * remaining)
  }
  return left.length === 0 ? '-' : duration(Math.min(...left))
}

function duration(sec: number): string {
  if (sec < 60) return `${Math.round(sec)}s`
  if (sec < 3600) return `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s`
  return `${Math.floor(sec / 3600)}h${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}m`
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)))
}

function id(s: string): string {
  return s
}

/** `, 18 sweep points to run`, and whether the trial budget stops before the last of them. */
function sweepNote(sweep: { left: number; end: number }, budget: number | undefined): string {
  const points = `, ${sweep.left} sweep point${sweep.left === 1 ? '' : 's'} to run`
  const end = sweep.end
  return budget !== undefined && budget < end
    ? `${points} (the trial budget of ${budget} stops before the end; --trials ${end} runs them all)`
    : points
}

/**
 * How re-queued trials go on: "it resumes from its checkpoint", or "it starts again from scratch (no checkpoint)" for
 * one whose script never sent one — saying it resumes would promise work kept that is lost.
 */
export function howTheyResume(numbers: readonly number[], fromScratch: readonly number[]): string {
  const one = numbers.length === 1
  if (fromScratch.length === 0) return one ? 'it resumes from its checkpoint' : 'they resume from their checkpoints'
  if (fromScratch.length >= numbers.length)
    return `${one ? 'it starts' : 'they start'} again from scratch (no checkpoint)`
  const list = (ns: readonly number[]) => ns.map((n) => `#${n}`).join(', ')
  const kept = numbers.filter((n) => !fromScratch.includes(n))
  return `${list(kept)} ${kept.length === 1 ? 'resumes from its checkpoint' : 'resume from their checkpoints'}, ${list(fromScratch)} ${fromScratch.length === 1 ? 'starts' : 'start'} again from scratch (no checkpoint)`
}
