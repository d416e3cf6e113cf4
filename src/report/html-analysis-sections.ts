import { savedCell } from '../core/analysis/cost.ts'
import { escapeHtml as h } from './escape.ts'
import { count, hoursText, num } from './format.ts'
import {
  caption,
  curvesChart,
  historyChart,
  importanceChart,
  paretoChart,
  rankTransferChart,
  sliceChart,
} from './html-charts.ts'
import { htmlTable, section } from './html-sections.ts'
import { frontSummary } from './pareto-data.ts'
import type { ReportData } from './report-data.ts'
import { rungTable } from './rung-table.ts'
import { renderParallelChart } from './svg/parallel-chart.ts'

/** Most slice plots shown; the rest are named in a note. */
const MAX_SLICES = 8

/** Value per trial with the best-so-far line and the baseline. */
export function historySection(d: ReportData): string {
  const pruned = d.history.filter((p) => p.state === 'PRUNED').length
  return section(
    'history',
    'Optimization history',
    `<figure>${historyChart(d)}</figure>${caption(
      `Each dot is a trial (hover for details). ${pruned > 0 ? `${pruned} pruned trials are grey, at the last value they reported (lower fidelity, so not directly comparable). ` : ''}The staircase is the best complete trial so far; the dashed line is the baseline.`,
    )}`,
  )
}

/** Learning curves with rung lines. */
export function curvesSection(d: ReportData): string {
  if (d.curves.length === 0)
    return section('curves', 'Learning curves', '<p class="note">No trial reported intermediate values.</p>')
  const rungs = d.setup.resource?.rungs ?? []
  return section(
    'curves',
    'Learning curves',
    `<figure>${curvesChart(d)}</figure>${caption(
      `Intermediate ${d.study.metricNames[0]} of ${d.curves.length} trials against ${d.setup.resource?.kind ?? 'step'}. Pruned trials are grey (a dot where they stopped), the best trial is highlighted, the baseline is dashed.${rungs.length > 0 ? ` Vertical lines are the scheduler's rungs (${rungs.join(', ')}).` : ''}`,
    )}`,
  )
}

/** Importance bars, or the reason they are missing. */
export function importanceSection(d: ReportData): string {
  const imp = d.importance
  const body =
    imp.entries.length > 0
      ? `<figure>${importanceChart(d)}</figure>${caption(`${imp.method ?? 'Importance'}: share of the objective's variance explained by each parameter (sums to 1).`)}`
      : ''
  return section('importance', 'Parameter importance', body + (imp.note ? `<p class="note">${h(imp.note)}</p>` : ''))
}

/** Parallel coordinates: where the best trials lie in every parameter at once. */
export function parallelSection(d: ReportData): string {
  const p = d.parallel
  if (!p) return ''
  const metric = p.axes[p.axes.length - 1].name
  const omitted = p.omitted > 0 ? ` ${p.omitted} less important parameters are not shown.` : ''
  return section(
    'parallel',
    'Parallel coordinates',
    `<figure>${renderParallelChart(`parallel coordinates of ${p.lines.length} complete trials`, p)}</figure>${caption(
      `Each line is a complete trial through its parameter values and its ${metric} (the last axis; ${p.direction === 'minimize' ? 'lower' : 'higher'} is better). The best trial is drawn thick, the rest of the best tenth in colour, the others faint; hover a line for its trial.${omitted}`,
    )}`,
  )
}

/** Slice plots per parameter (most important first when importance is known). */
export function sensitivitySection(d: ReportData): string {
  const s = d.sensitivity
  const shown = s.params.filter((p) => p.points.length > 0).slice(0, MAX_SLICES)
  const rest = s.params.length - shown.length
  if (shown.length === 0)
    return section('sensitivity', 'Sensitivity', '<p class="note">No trial has a value to plot yet.</p>')
  const plots = shown.map((p) => `<figure class="slice">${sliceChart(d, p)}</figure>`).join('')
  return section(
    'sensitivity',
    'Sensitivity',
    `${s.note ? `<p class="note">${h(s.note)}</p>` : ''}<div class="slices">${plots}</div>${caption(
      `${d.study.metricNames[0]} against each parameter${d.importance.entries.length > 0 ? ', most important first' : ''}. Grey dots are pruned trials at their last reported value; the dashed vertical line is the baseline's setting.${rest > 0 ? ` ${rest} more parameters are not shown.` : ''}`,
    )}`,
  )
}

/** The rank-transfer verdict and the low vs high fidelity scatter. */
export function rankTransferSection(d: ReportData): string {
  const rt = d.rankTransfer
  if (!rt)
    return section(
      'rank-transfer',
      'Rank transfer between fidelities',
      '<p class="note">The study has no multi-fidelity resource (no scheduler with min and max), so there is nothing to compare.</p>',
    )
  const cls = rt.result.verdict === 'reliable' ? 'good' : rt.result.verdict === 'unreliable' ? 'bad' : ''
  return section(
    'rank-transfer',
    'Rank transfer between fidelities',
    `<p class="verdict ${cls}">${h(`${rt.kind} ${rt.low} → ${rt.high}: ${rt.result.message}`)}</p>${ladderTable(rt)}${
      rt.pairs.length > 0
        ? `<figure>${rankTransferChart(d)}</figure>${caption(`Each dot is a trial seen at both ${rt.kind} ${rt.low} and ${rt.kind} ${rt.high}. If the low fidelity ranks configurations well, the dots rise together.`)}`
        : ''
    }`,
  )
}

/** Multi-objective studies: the trade-off chart, the front's size and its hypervolume. */
export function paretoSection(d: ReportData): string {
  const p = d.pareto
  if (!p) return ''
  const ref = p.objectives.map((o, i) => `${o.name} ${num(p.reference[i])}`).join(', ')
  return section(
    'pareto',
    'Pareto front',
    `<p>${h(`${frontSummary(p)}. Hypervolume ${num(p.hypervolume)} (reference point: the worst value seen plus a tenth of the range, ${ref}).`)}</p><figure>${paretoChart(d)}</figure>${caption(
      p.objectives.length > 2
        ? `The chart shows the first two of ${p.objectives.length} objectives; the front and the hypervolume use all of them.`
        : 'No trial on the front can improve one objective without worsening the other. The hypervolume grows as the front moves toward better values.',
    )}`,
  )
}

/** The rung view: per fidelity level, trials that got there, went on, or stopped there. */
export function rungsSection(d: ReportData): string {
  const t = rungTable(d)
  if (t === undefined) return ''
  return section(
    'rungs',
    'Rungs',
    `${htmlTable(t.header, t.rows)}${caption('A trial stopped "there" last reported between this level and the next. The baseline trains to full fidelity.')}`,
  )
}

/** The rung-to-rung checks, when the ladder has more than one step. */
function ladderTable(rt: NonNullable<ReportData['rankTransfer']>): string {
  if (rt.ladder.length < 2) return ''
  const f = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2))
  return htmlTable(
    [`${rt.kind} from`, 'to', 'trials at both', 'Spearman', 'Kendall', 'verdict'],
    rt.ladder.map((l) => [
      num(l.low),
      num(l.high),
      String(l.result.n),
      f(l.result.spearman),
      f(l.result.kendall),
      l.result.verdict.replaceAll('_', ' '),
    ]),
  )
}

/** Compute used vs running every trial to full fidelity. */
export function costSection(d: ReportData): string {
  const c = d.cost
  if (!c) return section('compute', 'Compute used and saved', '<p class="note">No trial recorded a resource yet.</p>')
  const rows: string[][] = [
    [c.unit, count(c.resourceUsed), count(c.resourceFull), savedCell(c.resourceUsed, c.resourceFull)],
  ]
  if (c.gpuSeconds)
    rows.push([
      'GPU time',
      hoursText(c.gpuSeconds.used),
      hoursText(c.gpuSeconds.fullEstimate),
      savedCell(c.gpuSeconds.used, c.gpuSeconds.fullEstimate),
    ])
  if (c.wallSeconds)
    rows.push([
      'trial wall-clock time',
      hoursText(c.wallSeconds.used),
      hoursText(c.wallSeconds.fullEstimate),
      savedCell(c.wallSeconds.used, c.wallSeconds.fullEstimate),
    ])
  if (c.tokens)
    rows.push([
      'tokens',
      count(Math.round(c.tokens.used)),
      count(Math.round(c.tokens.fullEstimate)),
      savedCell(c.tokens.used, c.tokens.fullEstimate),
    ])
  const cpuOnly =
    c.gpuSeconds !== undefined && c.gpuSeconds.used === 0 ? ' The trials ran without GPUs, so their GPU time is 0.' : ''
  return section(
    'compute',
    'Compute used and saved',
    `<p>${h(c.message)}</p>${htmlTable(['measure', 'used', `all ${c.trials} trials at full fidelity (${num(c.fullResource)} ${c.fullResource === 1 ? c.unit.replace(/s$/, '') : c.unit} each)`, 'saved'], rows)}${caption(
      `Full-fidelity time is fitted across the trials: each trial once to full fidelity costs the per-attempt overhead${c.wallSeconds ? ` (${hoursText(c.wallSeconds.overheadPerAttempt)} wall clock)` : ''} plus a rate per ${c.unit.replace(/s$/, '')} times ${num(c.fullResource)}; a crash counts what it cost, a retry or PBT child nothing of its own.${cpuOnly}`,
    )}`,
  )
}

/** Options of `analysisSections`. */
export interface AnalysisSectionsOptions {
  /** HTML placed right after the learning curves (e.g. a note that some curves are left out). */
  readonly afterCurves?: string
  /** Leave out the rank-transfer section when the study has no multi-fidelity resource. @default false */
  readonly skipEmptyRankTransfer?: boolean
}

/**
 * The analysis sections in the order both the report and the dashboard show them: history, Pareto front, learning
 * curves, importance, parallel coordinates, sensitivity, rank transfer, rungs, compute. One list, so a new section reaches both.
 */
export function analysisSections(d: ReportData, opts: AnalysisSectionsOptions = {}): string {
  return [
    historySection(d),
    paretoSection(d),
    `${curvesSection(d)}${opts.afterCurves ?? ''}`,
    importanceSection(d),
    parallelSection(d),
    sensitivitySection(d),
    opts.skipEmptyRankTransfer && !d.rankTransfer ? '' : rankTransferSection(d),
    rungsSection(d),
    costSection(d),
  ].join('\n')
}
