/**
 * Loader for the Optuna / Hyperopt anchor results (shared/bench/anchors/optuna/results/*.jsonl, schema in that
 * folder's README.md), summarised exactly as the anchor's summarize.py does, so benchmark scripts can print
 * Optuna's number next to Winnow's. Regret is recomputed from `final_best_clean` and the current f* of the problem.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type {
  OverheadRecord,
  PrunerRunRecord,
  SamplerErrorRecord,
  SamplerRunRecord,
  StorageRecord,
} from './anchor-schema.ts'
import { problems } from './index.ts'
import { regretAtSteps, type StepTrajectory, stepsToRegret } from './regret.ts'
import { type MedianIqr, median, medianIqr } from './stats.ts'

export type {
  AnchorEnv,
  OverheadRecord,
  PrunerRunRecord,
  SamplerErrorRecord,
  SamplerRunRecord,
  StorageRecord,
} from './anchor-schema.ts'

/** The anchor results folder: $WINNOW_ANCHORS_DIR, else `../shared/bench/anchors/optuna/results` beside the repo. */
export function anchorsDir(): string {
  const env = process.env.WINNOW_ANCHORS_DIR
  if (env) return resolve(env)
  return fileURLToPath(new URL('../../../shared/bench/anchors/optuna/results', import.meta.url))
}

/** Parses a JSON-lines file; blank and torn lines are skipped, a missing file gives []. */
export function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return []
  const out: T[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const s = line.trim()
    if (!s) continue
    try {
      out.push(JSON.parse(s) as T)
    } catch {
      // a torn last line after an interrupted run, as the anchor's read_jsonl tolerates
    }
  }
  return out
}

/** All anchor records of one results folder. */
export interface AnchorResults {
  dir: string
  samplerRuns: SamplerRunRecord[]
  samplerErrors: SamplerErrorRecord[]
  prunerRuns: PrunerRunRecord[]
  overhead: OverheadRecord[]
  storage: StorageRecord[]
}

const cache = new Map<string, AnchorResults>()

/** Reads (once per folder) every anchor file; missing files give empty lists. */
export function loadAnchors(dir = anchorsDir()): AnchorResults {
  const hit = cache.get(dir)
  if (hit) return hit
  const samplers = readJsonl<SamplerRunRecord | SamplerErrorRecord>(join(dir, 'samplers.jsonl'))
  const res: AnchorResults = {
    dir,
    samplerRuns: samplers.filter((r): r is SamplerRunRecord => r.kind === 'sampler_run'),
    samplerErrors: samplers.filter((r): r is SamplerErrorRecord => r.kind === 'sampler_error'),
    prunerRuns: readJsonl<PrunerRunRecord>(join(dir, 'pruners.jsonl')).filter((r) => r.kind === 'pruner_run'),
    overhead: readJsonl<OverheadRecord>(join(dir, 'overhead.jsonl')).filter((r) => r.kind === 'overhead'),
    storage: readJsonl<StorageRecord>(join(dir, 'storage.jsonl')),
  }
  cache.set(dir, res)
  return res
}

/** f* of a problem: the current definition when the problem is known, else the value stored in the record. */
const fstarOf = (problem: string, stored: number) =>
  Object.hasOwn(problems, problem) ? problems[problem].fstar : stored

/** Summary of the anchor's runs for one (problem, sampler, budget). */
export interface SamplerAnchor {
  anchor: 'optuna' | 'hyperopt'
  problem: string
  sampler: string
  budget: number
  batch: number
  seeds: number
  fstar: number
  /** Final regret over seeds: median and quartiles. */
  regret: MedianIqr
  /** Median optimizer time per trial, ms, over all trials of all seeds. */
  sampleMsMedian: number
  /** Median over seeds of the incumbent's regret after trial k (index k − 1). */
  regretByTrial: number[]
}

function summariseSampler(runs: SamplerRunRecord[]): SamplerAnchor {
  const r0 = runs[0]
  const fstar = fstarOf(r0.problem, r0.fstar)
  const regretByTrial: number[] = []
  for (let k = 0; k < r0.budget; k++) {
    const vals = runs.filter((r) => r.best_clean.length > k).map((r) => r.best_clean[k] - fstar)
    regretByTrial.push(median(vals))
  }
  return {
    anchor: r0.anchor,
    problem: r0.problem,
    sampler: r0.sampler,
    budget: r0.budget,
    batch: r0.batch,
    seeds: runs.length,
    fstar,
    regret: medianIqr(runs.map((r) => r.final_best_clean - fstar)),
    sampleMsMedian: median(runs.flatMap((r) => r.sample_ms)),
    regretByTrial,
  }
}

const groupBy = <T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>()
  for (const x of xs) {
    const k = key(x)
    const list = m.get(k)
    if (list) list.push(x)
    else m.set(k, [x])
  }
  return m
}

/** Every (problem, sampler, budget) summary of the anchor, in file order. */
export function samplerAnchors(dir = anchorsDir()): SamplerAnchor[] {
  const groups = groupBy(loadAnchors(dir).samplerRuns, (r) => `${r.problem}|${r.sampler}|${r.budget}`)
  return [...groups.values()].map(summariseSampler)
}

/** The anchor's summary for one (problem, sampler, budget), or undefined when it was not run. */
export function samplerAnchor(
  problem: string,
  sampler: string,
  budget: number,
  dir = anchorsDir(),
): SamplerAnchor | undefined {
  const runs = loadAnchors(dir).samplerRuns.filter(
    (r) => r.problem === problem && r.sampler === sampler && r.budget === budget,
  )
  return runs.length > 0 ? summariseSampler(runs) : undefined
}

/** Steps needed to reach a regret target, over seeds. */
export interface StepsToTarget {
  target: number
  /** Median steps over seeds; Infinity when fewer than half of the seeds reached the target. */
  medianSteps: number
  /** Seeds that reached the target. */
  reached: number
  seeds: number
}

/** Summary of the anchor's pruner runs for one pruner. */
export interface PrunerAnchor {
  pruner: string
  prunerArgs: string
  seeds: number
  budgetSteps: number
  fstar: number
  /** Median regret at each checkpoint (steps consumed); Infinity before the first completion. */
  regretAt: { steps: number; median: number }[]
  finalRegret: MedianIqr
  stepsTo: StepsToTarget[]
  medianTrials: number
  medianComplete: number
  medianPruned: number
  medianWallS: number
}

/** Median steps-to-target with the anchor's rule (Infinity unless at least half of the seeds reached it). */
export function summariseStepsTo(trajs: readonly StepTrajectory[], fstar: number, target: number): StepsToTarget {
  const st = trajs.map((t) => stepsToRegret(t, fstar, target))
  const reached = st.filter(Number.isFinite).length
  return {
    target,
    medianSteps: reached * 2 >= st.length ? median(st) : Number.POSITIVE_INFINITY,
    reached,
    seeds: st.length,
  }
}

const PRUNER_ORDER = ['nop', 'median', 'sha', 'hyperband']
const prunerRank = (p: string) => (PRUNER_ORDER.includes(p) ? PRUNER_ORDER.indexOf(p) : PRUNER_ORDER.length)

/**
 * Per pruner (nop, median, sha, hyperband, then any other): regret at step checkpoints, final regret, and steps needed to reach each
 * regret target (median over seeds), as summarize.py reports them.
 */
export function prunerAnchors(
  opts: { dir?: string; targets?: readonly number[]; checkpoints?: readonly number[] } = {},
): PrunerAnchor[] {
  const { dir = anchorsDir(), targets = [0.05, 0.02, 0.01], checkpoints = [2500, 5000, 10000] } = opts
  const out: PrunerAnchor[] = []
  for (const runs of groupBy(loadAnchors(dir).prunerRuns, (r) => `${r.pruner}|${r.budget_steps}`).values()) {
    const r0 = runs[0]
    const fstar = fstarOf(r0.problem, r0.fstar)
    const trajs = runs.map((r) => r.trajectory)
    out.push({
      pruner: r0.pruner,
      prunerArgs: r0.pruner_args,
      seeds: runs.length,
      budgetSteps: r0.budget_steps,
      fstar,
      regretAt: checkpoints.map((steps) => ({
        steps,
        median: median(trajs.map((t) => regretAtSteps(t, fstar, steps))),
      })),
      finalRegret: medianIqr(runs.map((r) => r.final_best_clean - fstar)),
      stepsTo: targets.map((t) => summariseStepsTo(trajs, fstar, t)),
      medianTrials: median(runs.map((r) => r.n_trials)),
      medianComplete: median(runs.map((r) => r.n_complete)),
      medianPruned: median(runs.map((r) => r.n_pruned)),
      medianWallS: median(runs.map((r) => r.wall_s)),
    })
  }
  return out.sort((a, b) => prunerRank(a.pruner) - prunerRank(b.pruner))
}

/** The anchor's pruner summary for one pruner name, or undefined. */
export function prunerAnchor(pruner: string, dir = anchorsDir()): PrunerAnchor | undefined {
  return prunerAnchors({ dir }).find((p) => p.pruner === pruner)
}

/** The anchor's overhead record for (sampler, method, n finished trials), or undefined. */
export function overheadAnchor(
  sampler: string,
  n: number,
  method: OverheadRecord['method'] = 'prefilled',
  dir = anchorsDir(),
): OverheadRecord | undefined {
  return loadAnchors(dir).overhead.find((r) => r.sampler === sampler && r.n === n && r.method === method)
}
