import { escapeHtml } from './escape.ts'
import { num } from './format.ts'
import type { ReportData, SliceParam } from './report-data.ts'
import { renderBarChart } from './svg/bar-chart.ts'
import { type PlotLine, type PlotPoint, renderPlot } from './svg/plot.ts'

/** The CSS class of a trial's marker or line: best and baseline stand out, pruned / failed are grey. */
function classOf(t: { state: string; best: boolean; baseline: boolean; infeasible?: boolean }): string {
  if (t.best) return 'best'
  if (t.baseline) return 'baseline'
  if (t.infeasible) return 'infeasible'
  if (t.state === 'COMPLETE') return 'complete'
  if (t.state === 'FAIL') return 'fail'
  return 'pruned'
}

/** Value per trial, the best-so-far staircase (COMPLETE trials), the baseline level; pruned trials in grey. */
export function historyChart(d: ReportData): string {
  const metric = d.study.metricNames[0]
  const minimize = d.study.directions[0] === 'minimize'
  const points: PlotPoint[] = d.history.map((h) => ({
    x: h.number,
    y: h.value!,
    cls: classOf(h),
    r: h.best || h.baseline ? 5 : 3.5,
    title: `#${h.number} ${h.state}${h.baseline ? ' (baseline)' : ''}${h.best ? ' (best)' : ''}: ${metric} ${num(h.value)}${h.reason ? ` — ${h.reason}` : ''}`,
  }))
  const bestSoFar: { x: number; y: number }[] = []
  let cur: number | undefined
  for (const h of d.history) {
    if (h.state !== 'COMPLETE' || h.value === undefined || h.infeasible) continue
    if (cur === undefined || (minimize ? h.value < cur : h.value > cur)) {
      cur = h.value
      bestSoFar.push({ x: h.number, y: cur })
    }
  }
  const last = d.history.at(-1)
  if (cur !== undefined && last && bestSoFar.at(-1)!.x < last.number) bestSoFar.push({ x: last.number, y: cur })
  const baseline = d.baseline?.values?.[0]
  return renderPlot({
    label: `optimization history of ${metric}`,
    xLabel: 'trial number',
    yLabel: metric,
    points: [
      ...points.filter((p) => p.cls === 'pruned' || p.cls === 'fail'),
      ...points.filter((p) => p.cls !== 'pruned' && p.cls !== 'fail'),
    ],
    lines: bestSoFar.length > 0 ? [{ points: bestSoFar, cls: 'best-line', stepped: true, title: 'best so far' }] : [],
    hRules: baseline !== undefined ? [{ value: baseline, label: `baseline ${num(baseline)}`, cls: 'baseline' }] : [],
    legend: [
      { label: 'complete', cls: 'complete', kind: 'point' },
      { label: 'pruned (last value)', cls: 'pruned', kind: 'point' },
      ...(d.history.some((h) => h.infeasible)
        ? [{ label: 'complete, breaks a constraint', cls: 'infeasible', kind: 'point' as const }]
        : []),
      { label: 'best', cls: 'best', kind: 'point' },
      { label: 'best so far', cls: 'best-line', kind: 'line' },
      { label: 'baseline', cls: 'baseline', kind: 'line' },
    ],
  })
}

/** Intermediate values per trial against the resource; pruned grey, best highlighted, rung lines. */
export function curvesChart(d: ReportData): string {
  const metric = d.study.metricNames[0]
  const order = (c: { best: boolean; baseline: boolean; state: string }) =>
    c.best ? 3 : c.baseline ? 2 : c.state === 'COMPLETE' ? 1 : 0
  const lines: PlotLine[] = [...d.curves]
    .sort((a, b) => order(a) - order(b) || a.number - b.number)
    .map((c) => ({
      points: c.points.map(([x, y]) => ({ x, y })),
      cls: classOf(c),
      title: `#${c.number} ${c.state}${c.baseline ? ' (baseline)' : ''}${c.best ? ' (best)' : ''}: ${metric} ${num(c.points.at(-1)?.[1])} at ${c.points.at(-1)?.[0]}`,
    }))
  const ends: PlotPoint[] = d.curves
    .filter((c) => c.points.length > 0 && c.state === 'PRUNED')
    .map((c) => ({
      x: c.points.at(-1)![0],
      y: c.points.at(-1)![1],
      cls: 'pruned end',
      r: 2.5,
      title: `#${c.number} pruned at ${c.points.at(-1)![0]}`,
    }))
  const r = d.setup.resource
  return renderPlot({
    label: `learning curves of ${metric}`,
    xLabel: r?.kind ?? 'step',
    yLabel: metric,
    height: 340,
    lines,
    points: ends,
    vRules: (r?.rungs ?? []).map((v) => ({ value: v, label: `rung ${v}`, cls: 'rung' })),
    legend: [
      { label: 'complete', cls: 'complete', kind: 'line' },
      { label: 'pruned', cls: 'pruned', kind: 'line' },
      { label: 'best', cls: 'best', kind: 'line' },
      { label: 'baseline', cls: 'baseline', kind: 'line' },
    ],
  })
}

/** Importance as horizontal bars, most important first. */
export function importanceChart(d: ReportData): string {
  return renderBarChart(
    'parameter importance',
    d.importance.entries.map((e) => ({
      label: e.param,
      value: e.importance,
      title: `${e.param}: ${num(e.importance)}`,
    })),
  )
}

/** One small slice plot: the trials' values against one parameter, baseline setting marked. */
export function sliceChart(d: ReportData, s: SliceParam): string {
  const metric = d.study.metricNames[0]
  // Spread markers sideways within a category (deterministically, by trial number) so stacked values stay visible.
  const jitter = (n: number) => (s.categories ? (((n * 0.618034) % 1) - 0.5) * 0.3 : 0)
  const points = s.points.map((p) => ({
    x: p.x + jitter(p.number),
    y: p.y,
    cls: classOf(p),
    r: p.best || p.baseline ? 5 : 3.5,
    title: `#${p.number} ${p.state}: ${s.name} = ${s.categories ? s.categories[p.x] : num(p.x)}, ${metric} ${num(p.y)}`,
  }))
  return renderPlot({
    label: `slice of ${s.name}`,
    xLabel: s.name,
    yLabel: metric,
    width: 470,
    height: 300,
    xLog: s.log,
    ...(s.categories ? { xCategories: s.categories } : {}),
    points: [
      ...points.filter((p) => p.cls === 'pruned' || p.cls === 'fail'),
      ...points.filter((p) => p.cls !== 'pruned' && p.cls !== 'fail'),
    ],
    vRules: s.baselineX !== undefined ? [{ value: s.baselineX, cls: 'baseline' }] : [],
  })
}

/** Low- vs high-fidelity values of the trials seen at both. */
export function rankTransferChart(d: ReportData): string {
  const rt = d.rankTransfer
  if (!rt) return ''
  const metric = d.study.metricNames[0]
  return renderPlot({
    label: 'rank transfer scatter',
    xLabel: `${metric} at ${rt.kind} ${rt.low}`,
    yLabel: `${metric} at ${rt.kind} ${rt.high}`,
    height: 320,
    points: rt.pairs.map((p) => ({
      x: p.low,
      y: p.high,
      cls: p.number === d.best[0]?.number ? 'best' : p.number === d.baseline?.number ? 'baseline' : 'complete',
      title: `#${p.number}: ${num(p.low)} at ${rt.low} → ${num(p.high)} at ${rt.high}`,
    })),
  })
}

/** The first two objectives of every feasible complete trial, the Pareto front joined by a staircase. */
export function paretoChart(d: ReportData): string {
  const p = d.pareto
  if (!p) return ''
  const [a, b] = p.objectives
  const front = p.points.filter((x) => x.front).sort((u, v) => u.values[0] - v.values[0])
  return renderPlot({
    label: 'Pareto front',
    xLabel: `${a.name} (${a.direction})`,
    yLabel: `${b.name} (${b.direction})`,
    height: 340,
    lines:
      front.length > 1 ? [{ points: front.map((x) => ({ x: x.values[0], y: x.values[1] })), cls: 'best-line' }] : [],
    points: p.points.map((x) => ({
      x: x.values[0],
      y: x.values[1],
      cls: x.front ? 'best' : 'complete',
      title: `#${x.number}: ${x.values.map((v, i) => `${p.objectives[i].name} ${num(v)}`).join(', ')}${x.front ? ' (Pareto front)' : ''}`,
    })),
    legend: [
      { label: 'complete', cls: 'complete', kind: 'point' },
      { label: 'Pareto front', cls: 'best', kind: 'point' },
    ],
  })
}

/** A caption paragraph under a chart. */
export function caption(text: string): string {
  return `<p class="caption">${escapeHtml(text)}</p>`
}
