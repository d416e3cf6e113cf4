import { parse as parseYaml } from 'yaml'
import { baselineCaveat, findBaseline, gainOver } from '../core/analysis/baseline.ts'
import { computeCost, resourceUnit } from '../core/analysis/cost.ts'
import { bestTrial, isInfeasibleResult, noBestReason, paretoFront } from '../core/analysis/pareto.ts'
import { rungOccupancy } from '../core/analysis/rung-occupancy.ts'
import { type Distribution, type ParamValue, sameDistribution } from '../core/distributions/distribution.ts'
import type { Json } from '../core/json.ts'
import type { StudyInfo } from '../core/storage.ts'
import { type FrozenTrial, isWithdrawn } from '../core/trial/frozen-trial.ts'
import { TRIAL_STATES, type TrialState } from '../core/trial/trial-state.ts'
import { importanceFor, sensitivityFor } from './importance-data.ts'
import { type Lineage, lineageOf } from './lineage.ts'
import { parallelOf } from './parallel-data.ts'
import { paretoOf } from './pareto-data.ts'
import type {
  CostData,
  MetricRow,
  ReportData,
  ReportResource,
  Reproducibility,
  SpaceRow,
  TrialBrief,
} from './report-data.ts'
import { curvesOf, historyOf, rankTransferOf, slicesOf } from './trial-series.ts'

/** Metrics that are costs or counters, not quality: left out of the baseline-vs-best table. */
const NOT_QUALITY = new Set(['step', 'tokens', 'epoch', 'global_step'])

/**
 * Builds the report's data from a study, its trials and the environment record (pure: no I/O), so it can be
 * tested without a storage, git or a clock.
 */
export function buildReportData(
  info: StudyInfo,
  trials: readonly FrozenTrial[],
  repro: Reproducibility,
  generatedAt: Date,
): ReportData {
  const attrs = info.systemAttrs
  const single = info.directions.length === 1
  const bestOne = single ? bestTrial(trials, info.directions[0]) : undefined
  const best = single ? (bestOne ? [bestOne] : []) : paretoFront(trials, info.directions)
  const baseline = findBaseline(trials)
  const resource = resourceOf(attrs)
  const studyFileText = str(attrs.studyFileText)
  const rungs = resource ? rungsOf(resource, studyFileText) : []
  const importance = importanceFor(trials, info.directions[0])
  const ofat = attrs.sampler === 'ofat' || /\bofat\b/i.test(str(attrs.strategies) ?? '')
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>
  for (const t of trials) counts[t.state]++
  return {
    study: {
      name: info.name,
      directions: info.directions,
      metricNames: info.metricNames,
      createdAt: info.createdAt,
      ...optional('description', str(info.userAttrs.description) ?? descriptionOf(studyFileText)),
    },
    generatedAt: generatedAt.toISOString(),
    counts,
    infeasible: trials.filter(isInfeasibleResult).length,
    withdrawn: trials.filter(isWithdrawn).length,
    setup: {
      ...optional('studyFile', str(attrs.studyFile)),
      ...optional('studyFileText', studyFileText),
      ...optional('strategies', str(attrs.strategies) ?? (str(attrs.sampler) && `sampler ${str(attrs.sampler)}`)),
      ...optional('resource', resource && { ...resource, rungs }),
      ...optional('lineage', lineageIfAny(attrs)),
    },
    space: spaceRows(trials, baseline, bestOne),
    ...optional('baseline', baseline && brief(baseline)),
    ...optional('baselineCaveat', baselineCaveat(baseline)),
    best: best.map(brief),
    ...optional('noBest', best.length === 0 ? noBestReason(trials) : undefined),
    comparison: bestOne && baseline ? compare(info, baseline, bestOne) : [],
    history: historyOf(trials, bestOne?.number),
    ...optional('pareto', paretoOf(trials, info.directions, info.metricNames)),
    curves: curvesOf(trials, bestOne?.number),
    importance,
    ...optional(
      'parallel',
      single
        ? parallelOf(
            trials,
            info.directions[0],
            info.metricNames[0] ?? 'value',
            importance.entries.map((e) => e.param),
            baseline?.number,
          )
        : undefined,
    ),
    sensitivity: sensitivityFor(
      trials,
      slicesOf(
        trials,
        importance.entries.map((e) => e.param),
        bestOne?.number,
      ),
      ofat,
    ),
    ...optional(
      'rankTransfer',
      resource?.min !== undefined && resource.max !== undefined && resource.min < resource.max
        ? rankTransferOf(trials, resource.kind, resource.min, resource.max, rungs)
        : undefined,
    ),
    ...optional(
      'rungs',
      single && resource?.max !== undefined && rungs.length > 0
        ? rungOccupancy(trials, rungs, resource.max, info.directions[0])
        : undefined,
    ),
    ...optional('cost', costOf(trials, resource)),
    repro,
  }
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V }
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function resourceOf(attrs: StudyInfo['systemAttrs']): Omit<ReportResource, 'rungs'> | undefined {
  const r = attrs.resource
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return undefined
  const o = r as Record<string, Json>
  const n = (v: Json | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
  return {
    kind: typeof o.kind === 'string' ? o.kind : 'steps',
    ...optional('min', n(o.min)),
    ...optional('max', n(o.max)),
  }
}

/** The study file as YAML, or undefined when it is absent or does not parse. */
function studyFileObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  try {
    const doc = parseYaml(text)
    return doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function descriptionOf(text: string | undefined): string | undefined {
  const d = studyFileObject(text)?.description
  return typeof d === 'string' ? d : undefined
}

/**
 * Rung resources `min · η^k` below `max`, with η the study file's `scheduler.reduction_factor` (3 when the file
 * does not say, the default of the successive-halving schedulers).
 */
function rungsOf(r: Omit<ReportResource, 'rungs'>, text: string | undefined): number[] {
  if (r.min === undefined || r.max === undefined || !(r.min > 0) || r.max <= r.min) return []
  const scheduler = studyFileObject(text)?.scheduler as Record<string, unknown> | undefined
  const eta =
    typeof scheduler?.reduction_factor === 'number' && scheduler.reduction_factor > 1 ? scheduler.reduction_factor : 3
  const out: number[] = []
  for (let k = 0; k < 64; k++) {
    const x = Number((r.min * eta ** k).toPrecision(12))
    if (x >= r.max * (1 - 1e-12)) break
    out.push(x)
  }
  return out
}

function brief(t: FrozenTrial): TrialBrief {
  return { number: t.number, state: t.state, values: t.values, params: t.params, metrics: metricsOf(t) }
}

/** Last reported metrics: `systemAttrs.metrics` (or the runner's `lastMetrics`), numbers only. */
function metricsOf(t: FrozenTrial): Record<string, number> {
  const m = t.systemAttrs.metrics ?? t.systemAttrs.lastMetrics
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return {}
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(m as Record<string, Json>))
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v
  return out
}

function compare(info: StudyInfo, baseline: FrozenTrial, best: FrozenTrial): MetricRow[] {
  const rows: MetricRow[] = info.metricNames.map((metric, i) => {
    const b = baseline.values?.[i]
    const v = best.values?.[i]
    const gain = b !== undefined && v !== undefined ? gainOver(b, v, info.directions[i]) : undefined
    return {
      metric,
      objective: true,
      direction: info.directions[i],
      ...optional('baseline', b),
      ...optional('best', v),
      ...optional('gain', gain),
    }
  })
  const bm = metricsOf(baseline)
  const vm = metricsOf(best)
  const others = [...new Set([...Object.keys(bm), ...Object.keys(vm)])]
    .filter((k) => !info.metricNames.includes(k) && !NOT_QUALITY.has(k))
    .sort()
  for (const metric of others) {
    const b = bm[metric]
    const v = vm[metric]
    rows.push({
      metric,
      objective: false,
      ...optional('baseline', b),
      ...optional('best', v),
      ...optional('change', b !== undefined && v !== undefined ? v - b : undefined),
    })
  }
  return rows
}

/**
 * One row per parameter with its range. A study whose space changed between runs (narrowed by hand or after
 * `winnow focus`) shows the latest range and, after it, the earlier ones with the trial each one started at.
 */
function spaceRows(trials: readonly FrozenTrial[], baseline?: FrozenTrial, best?: FrozenTrial): SpaceRow[] {
  const history = new Map<string, { d: Distribution; from: number }[]>()
  for (const t of [...trials].sort((a, b) => a.number - b.number))
    for (const [k, d] of Object.entries(t.distributions)) {
      const seen = history.get(k)
      if (seen === undefined) history.set(k, [{ d, from: t.number }])
      else if (!sameDistribution(seen[seen.length - 1].d, d)) seen.push({ d, from: t.number })
    }
  return [...history].map(([name, ranges]) => {
    const latest = ranges[ranges.length - 1]
    const earlier = ranges
      .slice(0, -1)
      .reverse()
      .map((r) => `${rangeOf(r.d)} from #${r.from}`)
    return {
      name,
      kind: latest.d.kind,
      range:
        ranges.length === 1
          ? rangeOf(latest.d)
          : `${rangeOf(latest.d)} from #${latest.from} (before: ${earlier.join('; ')})`,
      ...optional('baseline', valueText(baseline?.params[name])),
      ...optional('best', valueText(best?.params[name])),
    }
  })
}

/** A distribution's range in words, e.g. `[0.0001, 0.03], log` or `{4, 8, 16}`. */
export function rangeOf(d: Distribution): string {
  if (d.kind === 'categorical') return `{${d.choices.map((c) => JSON.stringify(c)).join(', ')}}`
  const extra = [d.log ? 'log' : '', d.step !== undefined && d.step !== 1 ? `step ${d.step}` : '']
    .filter(Boolean)
    .join(', ')
  return `[${d.low}, ${d.high}]${extra ? `, ${extra}` : ''}`
}

/** A parameter value for tables: numbers to 4 significant digits, strings as given. */
export function valueText(v: ParamValue | undefined): string | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number.parseFloat(v.toPrecision(4)))
  return String(v)
}

function costOf(trials: readonly FrozenTrial[], r: Omit<ReportResource, 'rungs'> | undefined): CostData | undefined {
  const maxSeen = Math.max(0, ...trials.map((t) => t.intermediate.at(-1)?.step ?? 0))
  const full = r?.max ?? maxSeen
  if (!(full > 0)) return undefined
  const kind = r?.kind ?? 'steps'
  return { ...computeCost(trials, { fullResource: full, kind }), unit: resourceUnit(kind), fullResource: full }
}

function lineageIfAny(attrs: StudyInfo['systemAttrs']): Lineage | undefined {
  const l = lineageOf(attrs)
  return l.steps.length > 0 || l.earlierStudyFiles.length > 0 ? l : undefined
}
