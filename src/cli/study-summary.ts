import { baselineCaveat, findBaseline, gainOver } from '../core/analysis/baseline.ts'
import { computeCost, totalUsage } from '../core/analysis/cost.ts'
import { bestTrial, isInfeasibleResult, noBestReason, paretoFront } from '../core/analysis/pareto.ts'
import { rankTransferToHighest } from '../core/analysis/rank-transfer.ts'
import type { StudyInfo } from '../core/storage.ts'
import { type FrozenTrial, isWithdrawn } from '../core/trial/frozen-trial.ts'
import { quoteArg } from '../report/format.ts'
import { lineageOf } from '../report/lineage.ts'
import { formatDuration, formatGain, formatNumber, formatParams } from './format.ts'

/** The resource the study's scheduler budgets (stored with the study by `winnow tune`). */
function resourceOf(info: StudyInfo): { kind: string; min?: number; max?: number } | undefined {
  const r = info.systemAttrs.resource
  return r !== null && typeof r === 'object' && !Array.isArray(r)
    ? (r as { kind: string; min?: number; max?: number })
    : undefined
}

/**
 * The plain-text summary shared by `winnow status` and the end of `winnow tune` / `winnow demo`: trial counts,
 * baseline vs best with the gain, compute used and saved, whether the low-fidelity ranking transfers, and the
 * links `winnow focus` made. `studyArg` names the study in the commands it suggests (see `studyArgs`).
 */
export function summarizeStudy(
  info: StudyInfo,
  trials: readonly FrozenTrial[],
  studyArg: string = quoteArg(info.name),
): string[] {
  const count = (s: string) => trials.filter((t) => t.state === s).length
  const infeasible = trials.filter(isInfeasibleResult).length
  // Queued configurations withdrawn before they ran (their space was narrowed) are PRUNED, but never trained.
  const notRun = trials.filter(isWithdrawn).length
  const lines = [
    `Study "${info.name}": ${trials.length} trials — ${count('COMPLETE')} complete${infeasible > 0 ? ` (${infeasible} infeasible)` : ''}, ${count('PRUNED')} pruned${notRun > 0 ? ` (${notRun} withdrawn unrun)` : ''}, ${count('PAUSED')} paused, ${count('FAIL')} failed, ${count('RUNNING')} running, ${count('WAITING')} waiting.`,
  ]
  if (count('FAIL') > 0) lines.push(`Why the failed trials failed: winnow trials ${studyArg} --state fail --logs`)
  const metric = info.metricNames[0]
  const extra = (t: FrozenTrial) => {
    const m = t.systemAttrs.metrics ?? t.systemAttrs.lastMetrics
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return ''
    const others = Object.entries(m).filter(([k, v]) => k !== metric && typeof v === 'number' && k !== 'tokens')
    return others.length > 0 ? `, ${others.map(([k, v]) => `${k} ${formatNumber(v as number)}`).join(', ')}` : ''
  }
  const baseline = findBaseline(trials)
  if (info.directions.length === 1) {
    const best = bestTrial(trials, info.directions[0])
    if (baseline?.values)
      lines.push(
        `Baseline #${baseline.number}: ${metric} ${formatNumber(baseline.values[0])}${extra(baseline)}  (${formatParams(baseline.params)})`,
      )
    else if (baseline) lines.push(`Baseline #${baseline.number}: ${baseline.state}.`)
    const caveat = baselineCaveat(baseline)
    if (caveat !== undefined) lines.push(`  ${caveat}`)
    if (best) {
      const gain = baseline?.values ? gainOver(baseline.values[0], best.values![0], info.directions[0]) : undefined
      lines.push(
        `Best     #${best.number}: ${metric} ${formatNumber(best.values![0])}${extra(best)}${gain !== undefined ? `  — ${formatGain(gain)} vs baseline` : ''}`,
      )
      lines.push(`  ${formatParams(best.params)}`)
    } else lines.push(noBestReason(trials, whyHint(studyArg)))
  } else lines.push(...paretoLines(info, trials, baseline, studyArg))
  const resource = resourceOf(info)
  const maxSeen = Math.max(0, ...trials.map((t) => t.intermediate.at(-1)?.step ?? 0))
  const full = resource?.max ?? maxSeen
  // Without a scheduler's resource and with at most one report per trial there is nothing to save or count.
  const cost =
    full > 0 && (resource !== undefined || maxSeen > 1)
      ? computeCost(trials, { fullResource: full, kind: resource?.kind ?? 'steps' })
      : undefined
  if (cost !== undefined && cost.trials > 0) lines.push(`Compute: ${cost.message}`)
  else {
    // Nothing to save (no scheduler, one report per trial, or every trial failed at start): still say what it cost.
    const use = totalUsage(trials)
    if (use.trials > 0) {
      const parts = [`${use.trials} trial${use.trials === 1 ? '' : 's'} ran ${formatDuration(use.wallSeconds)} in all`]
      if (use.gpuSeconds > 0) parts.push(`${(use.gpuSeconds / 3600).toFixed(2)} GPU-hours`)
      if (use.tokens > 0) parts.push(`${use.tokens.toLocaleString('en-US')} tokens`)
      lines.push(`Compute: ${parts.join('; ')}.`)
    }
  }
  if (resource?.min !== undefined && resource.max !== undefined) {
    const { high, result: rt } = rankTransferToHighest(trials, resource.min, resource.max)
    lines.push(`Rank transfer (${resource.kind} ${resource.min} → ${high}): ${rt.message}`)
  }
  const { steps } = lineageOf(info.systemAttrs)
  if (steps.length > 0) lines.push(`Focus: ${steps.map((s) => s.summary).join('; ')}`)
  return lines
}

/** Where to see why the completed trials are infeasible. */
function whyHint(studyArg: string): string {
  return `winnow trials ${studyArg} says why`
}

/** Several objectives: the baseline's values and the Pareto front (at most 10 trials shown). */
function paretoLines(
  info: StudyInfo,
  trials: readonly FrozenTrial[],
  baseline: FrozenTrial | undefined,
  studyArg: string,
): string[] {
  const values = (t: FrozenTrial) =>
    info.metricNames.map((m, i) => `${m} ${formatNumber(t.values![i])} (${info.directions[i]})`).join(', ')
  const lines: string[] = []
  if (baseline?.values) lines.push(`Baseline #${baseline.number}: ${values(baseline)}`)
  else if (baseline) lines.push(`Baseline #${baseline.number}: ${baseline.state}.`)
  const caveat = baselineCaveat(baseline)
  if (caveat !== undefined) lines.push(`  ${caveat}`)
  const front = paretoFront(trials, info.directions)
  if (front.length === 0) return [...lines, noBestReason(trials, whyHint(studyArg))]
  const constrained = trials.some(isInfeasibleResult)
  lines.push(
    `Pareto front: ${front.length} trial${front.length === 1 ? '' : 's'} no other ${constrained ? 'feasible ' : ''}trial beats on every objective`,
  )
  // Each front trial against the baseline, objective by objective (a trade-off reads as one gain and one loss).
  const gains = (t: FrozenTrial) =>
    baseline?.values && t.number !== baseline.number
      ? `  — vs baseline: ${info.metricNames.map((m, i) => `${m} ${formatGain(gainOver(baseline.values![i], t.values![i], info.directions[i]))}`).join(', ')}`
      : ''
  for (const t of front.slice(0, 10)) lines.push(`  #${t.number}: ${values(t)}${gains(t)}`)
  if (front.length > 10) lines.push(`  … ${front.length - 10} more: winnow best ${info.name}`)
  return lines
}
