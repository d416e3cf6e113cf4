import { isFeasible } from '../core/analysis/pareto.ts'
import type { StudyInfo } from '../core/storage.ts'
import { type FrozenTrial, reasonOf } from '../core/trial/frozen-trial.ts'

/** The fixed leading columns of a trial export, in order. */
const FIXED_COLUMNS = [
  'number',
  'state',
  'baseline',
  'started_at',
  'finished_at',
  'duration_s',
  'attempts',
  'wall_seconds',
  'gpu_seconds',
  'tokens',
  'steps',
  'reason',
] as const

/**
 * One flat record per trial with a stable column order: fixed columns (ending with `reason`, why the trial ended as it
 * did, the text `winnow trials` shows), then objective values (`value_<metric>`), then the other final metrics a trial
 * stored (`metric_<name>`, sorted), `feasible` when the study has constraints, then parameters (`param_<name>`,
 * sorted), then the intermediate values (`step_<n>`, sorted by step). Missing cells are empty.
 */
export function trialRecords(
  study: StudyInfo,
  trials: readonly FrozenTrial[],
): { columns: string[]; rows: Record<string, string | number | null>[] } {
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort()
  const steps = [...new Set(trials.flatMap((t) => t.intermediate.map((iv) => iv.step)))].sort((a, b) => a - b)
  const valueCols = study.metricNames.map((m) => `value_${m}`)
  // The objectives already have their value_ column; every other final metric (accuracy, gpu_hours, …) gets one.
  const metricNames = [...new Set(trials.flatMap((t) => Object.keys(finalMetrics(t))))]
    .filter((m) => !study.metricNames.includes(m))
    .sort()
  // Studies with constraints get a `feasible` column (1 / 0, empty for trials never checked).
  const spec = study.systemAttrs.constraintSpec
  const constrained =
    (Array.isArray(spec) && spec.length > 0) || trials.some((t) => Array.isArray(t.systemAttrs.constraints))
  const columns = [
    ...FIXED_COLUMNS,
    ...valueCols,
    ...metricNames.map((m) => `metric_${m}`),
    ...(constrained ? ['feasible'] : []),
    ...paramNames.map((p) => `param_${p}`),
    ...steps.map((s) => `step_${s}`),
  ]
  const rows = trials.map((t) => {
    const row: Record<string, string | number | null> = {
      number: t.number,
      state: t.state,
      baseline: t.systemAttrs.baseline === true ? 1 : 0,
      started_at: t.startedAt === null ? null : new Date(t.startedAt).toISOString(),
      finished_at: t.finishedAt === null ? null : new Date(t.finishedAt).toISOString(),
      // started_at / duration_s are the LAST attempt's (a paused-then-promoted or retried trial ran several);
      // wall_seconds / gpu_seconds add up every attempt.
      duration_s: t.startedAt !== null && t.finishedAt !== null ? (t.finishedAt - t.startedAt) / 1000 : null,
      attempts: typeof t.systemAttrs.attempts === 'number' ? t.systemAttrs.attempts : t.startedAt === null ? 0 : 1,
      wall_seconds: milli(num(t.systemAttrs.wallSeconds)),
      gpu_seconds: milli(num(t.systemAttrs.gpuSeconds)),
      tokens: num(t.systemAttrs.tokens),
      steps: t.intermediate.length > 0 ? t.intermediate[t.intermediate.length - 1].step : null,
      reason: reasonOf(t) ?? null,
    }
    valueCols.forEach((c, i) => {
      row[c] = t.values?.[i] ?? null
    })
    const metrics = finalMetrics(t)
    for (const m of metricNames) row[`metric_${m}`] = cellOf(metrics[m])
    if (constrained) row.feasible = Array.isArray(t.systemAttrs.constraints) ? (isFeasible(t) ? 1 : 0) : null
    for (const p of paramNames) {
      const v = t.params[p]
      row[`param_${p}`] = v === undefined ? null : typeof v === 'boolean' ? String(v) : v
    }
    for (const iv of t.intermediate) row[`step_${iv.step}`] = iv.value
    return row
  })
  return { columns, rows }
}

/** Seconds to the millisecond: sums of attempts read 39.785000000000004 otherwise. */
function milli(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1000) / 1000
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null
}

/** The final metrics a trial stored (`systemAttrs.metrics`, kept when it completed); empty when none. */
function finalMetrics(t: FrozenTrial): Record<string, unknown> {
  const m = t.systemAttrs.metrics
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {}
}

function cellOf(v: unknown): string | number | null {
  if (v === undefined || v === null) return null
  return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v)
}

/** CSV (RFC 4180 quoting) of `trialRecords`. */
export function trialsToCsv(study: StudyInfo, trials: readonly FrozenTrial[]): string {
  const { columns, rows } = trialRecords(study, trials)
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return ''
    const s = String(v)
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n'
}

/**
 * JSON document of a study and its full trials (params, values, states, costs, intermediate values); each trial also
 * carries `metrics` (its final metrics, as in the CSV's `metric_` columns) and `reason` (the CSV's `reason`).
 */
export function trialsToJson(study: StudyInfo, trials: readonly FrozenTrial[]): string {
  return `${JSON.stringify(
    {
      study: {
        name: study.name,
        directions: study.directions,
        metricNames: study.metricNames,
        userAttrs: study.userAttrs,
        systemAttrs: study.systemAttrs,
      },
      trials: trials.map((t) => ({
        number: t.number,
        state: t.state,
        values: t.values,
        metrics: finalMetrics(t),
        reason: reasonOf(t) ?? null,
        params: t.params,
        distributions: t.distributions,
        intermediate: t.intermediate,
        userAttrs: t.userAttrs,
        systemAttrs: t.systemAttrs,
        createdAt: t.createdAt,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
      })),
    },
    null,
    2,
  )}\n`
}
