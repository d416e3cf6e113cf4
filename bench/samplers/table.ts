/**
 * Summary tables of benchmark runs: median final regret per (problem, sampler) beside the Optuna anchor's best
 * sampler and per-sampler values, and median per-trial sampler time.
 */
import { samplerAnchor } from '../problems/anchors.ts'
import { median, quantile } from '../problems/stats.ts'
import type { WinnowRunRecord } from './run-one.ts'

/** Anchor samplers shown next to ours (Optuna 3.1). */
const ANCHOR_SAMPLERS = ['random', 'tpe', 'tpe_mv', 'cmaes']

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0)
      ? x.toExponential(2)
      : Number(x.toPrecision(3)).toString()

function groupRuns(runs: readonly WinnowRunRecord[]) {
  const byProblem = new Map<string, Map<string, WinnowRunRecord[]>>()
  for (const r of runs) {
    const p = byProblem.get(r.problem) ?? new Map<string, WinnowRunRecord[]>()
    byProblem.set(r.problem, p)
    const list = p.get(r.sampler) ?? []
    p.set(r.sampler, list)
    list.push(r)
  }
  return byProblem
}

/** Markdown tables: regret (median [Q1, Q3], seeds) and time per trial, with Optuna's numbers beside ours. */
export function formatTables(runs: readonly WinnowRunRecord[], budget: number): string {
  const byProblem = groupRuns(runs)
  const samplers = [...new Set(runs.map((r) => r.sampler))]
  const lines: string[] = []
  lines.push(`Final regret after ${budget} trials, median [Q1, Q3] (seeds); Optuna 3.1 anchor beside it.`, '')
  const head = ['problem', 'optuna best', ...ANCHOR_SAMPLERS.map((s) => `optuna ${s}`), ...samplers]
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`)
  for (const [problem, bySampler] of byProblem) {
    const anchors = ANCHOR_SAMPLERS.map((s) => samplerAnchor(problem, s, budget))
    const all = ['random', 'qmc', 'grid', 'tpe', 'tpe_mv', 'cmaes', 'nsga2']
      .map((s) => samplerAnchor(problem, s, budget))
      .filter((a) => a !== undefined)
    const best = all.sort((a, b) => a.regret.median - b.regret.median)[0]
    const cells = [
      problem,
      best ? `${fmt(best.regret.median)} (${best.sampler})` : '-',
      ...anchors.map((a) => (a ? fmt(a.regret.median) : '-')),
      ...samplers.map((s) => {
        const rs = bySampler.get(s)
        if (!rs) return '-'
        const reg = rs.map((r) => r.final_regret)
        const m = median(reg)
        const mark = best && m < best.regret.median ? '**' : ''
        return `${mark}${fmt(m)}${mark} [${fmt(quantile(reg, 0.25))}, ${fmt(quantile(reg, 0.75))}] (${rs.length})`
      }),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  lines.push('', 'Sampler time per trial, ms (median over all trials of all seeds; ask + all suggestions).', '')
  const head2 = ['problem', ...ANCHOR_SAMPLERS.map((s) => `optuna ${s}`), ...samplers]
  lines.push(`| ${head2.join(' | ')} |`, `|${head2.map(() => '---').join('|')}|`)
  for (const [problem, bySampler] of byProblem) {
    const cells = [
      problem,
      ...ANCHOR_SAMPLERS.map((s) => {
        const a = samplerAnchor(problem, s, budget)
        return a ? fmt(a.sampleMsMedian) : '-'
      }),
      ...samplers.map((s) => {
        const rs = bySampler.get(s)
        return rs ? fmt(median(rs.flatMap((r) => r.sample_ms))) : '-'
      }),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
