/** Formats the scheduler benchmark's summary table beside the Optuna anchor rows. */
import { type PrunerAnchor, prunerAnchors, type StepsToTarget, summariseStepsTo } from '../problems/anchors.ts'
import { regretAtSteps } from '../problems/regret.ts'
import { median } from '../problems/stats.ts'
import type { SchedulerRun } from './simulate.ts'
import type { Variant } from './variants.ts'

/** The regret targets of the anchor. */
export const TARGETS = [0.05, 0.02, 0.01] as const

/** Per-variant summary with the anchor's rules (median over seeds; '>budget' when fewer than half reached it). */
export interface VariantSummary {
  variant: string
  seeds: number
  stepsTo: StepsToTarget[]
  regretAt: number[]
  trials: number
  complete: number
  pruned: number
  pauses: number
  wallS: number
}

/** Summarises the runs of one variant. */
export function summarise(
  variant: string,
  runs: readonly SchedulerRun[],
  fstar: number,
  checkpoints: readonly number[],
): VariantSummary {
  const trajs = runs.map((r) => r.trajectory)
  return {
    variant,
    seeds: runs.length,
    stepsTo: TARGETS.map((t) => summariseStepsTo(trajs, fstar, t)),
    regretAt: checkpoints.map((c) => median(trajs.map((t) => regretAtSteps(t, fstar, c)))),
    trials: median(runs.map((r) => r.nTrials)),
    complete: median(runs.map((r) => r.nComplete)),
    pruned: median(runs.map((r) => r.nPruned)),
    pauses: median(runs.map((r) => r.nPauses)),
    wallS: median(runs.map((r) => r.wallS)),
  }
}

const steps = (s: StepsToTarget, budget: number) =>
  `${Number.isFinite(s.medianSteps) ? Math.round(s.medianSteps).toLocaleString('en-US') : `>${budget.toLocaleString('en-US')}`} (${s.reached}/${s.seeds})`
const g3 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : 'inf')

/** The Markdown table: one row per Winnow variant, then the Optuna anchor rows (when the problem is the anchor's). */
export function formatTable(
  summaries: readonly VariantSummary[],
  variants: readonly Variant[],
  budget: number,
  checkpoints: readonly number[],
  withAnchor: boolean,
): string {
  const head = `| scheduler | ${TARGETS.map((t) => `steps to regret<=${t}`).join(' | ')} | ${checkpoints.map((c) => `regret@${c}`).join(' | ')} | trials (complete/pruned/pauses) | wall s |`
  const rule = `|---|${TARGETS.map(() => '---|').join('')}${checkpoints.map(() => '---|').join('')}---|---|`
  const lines = [head, rule]
  for (const s of summaries)
    lines.push(
      `| winnow ${s.variant} | ${s.stepsTo.map((x) => steps(x, budget)).join(' | ')} | ${s.regretAt.map(g3).join(' | ')} | ${s.trials} (${s.complete}/${s.pruned}/${s.pauses}) | ${g3(s.wallS)} |`,
    )
  if (withAnchor) {
    const anchors: PrunerAnchor[] = prunerAnchors({ checkpoints })
    for (const a of anchors)
      lines.push(
        `| optuna 3.1 ${a.pruner} | ${a.stepsTo.map((x) => steps(x, a.budgetSteps)).join(' | ')} | ${a.regretAt.map((r) => g3(r.median)).join(' | ')} | ${a.medianTrials} (${a.medianComplete}/${a.medianPruned}/0) | ${g3(a.medianWallS)} |`,
      )
  }
  lines.push('')
  for (const v of variants) lines.push(`- ${v.name}: ${v.describe}`)
  return lines.join('\n')
}
