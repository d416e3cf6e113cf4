import { escapeMarkdown as e, escapeHtml } from './escape.ts'
import { count, hoursText, num, pct } from './format.ts'
import { earlierFileLabel } from './lineage.ts'
import { frontRows, frontSummary } from './pareto-data.ts'
import type { ReportData } from './report-data.ts'
import { describeGit, describeRun, runsShown } from './run-records.ts'
import { rungTable } from './rung-table.ts'

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header.map(e)), line(header.map(() => '---')), ...rows.map((r) => line(r.map(e)))].join('\n')
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`
}

/**
 * Renders the report as Markdown: the same sections as the HTML report with tables instead of charts. Study
 * strings are escaped so they cannot inject HTML or break tables.
 */
export function renderReportMarkdown(d: ReportData): string {
  const out: string[] = []
  const c = d.counts
  const total = Object.values(c).reduce((a, b) => a + b, 0)
  out.push(`# Winnow report: ${e(d.study.name)}`, '')
  if (d.study.description) out.push(e(d.study.description), '')
  out.push(
    `Objective: ${e(d.study.metricNames.map((m, i) => `${m} (${d.study.directions[i]})`).join(', '))}. ${total} trials: ${c.COMPLETE} complete${d.infeasible > 0 ? ` (${d.infeasible} breaking a constraint)` : ''}, ${c.PRUNED} pruned${d.withdrawn > 0 ? ` (${d.withdrawn} withdrawn unrun)` : ''}, ${c.FAIL} failed, ${c.PAUSED} paused, ${c.RUNNING} running, ${c.WAITING} waiting. Generated ${d.generatedAt}.`,
    '',
  )

  out.push('## Setup and search space', '')
  if (d.setup.strategies) out.push(`- Strategies: ${e(d.setup.strategies)}`)
  const r = d.setup.resource
  if (r)
    out.push(
      `- Resource: ${e(r.kind)} from ${num(r.min)} to ${num(r.max)}${r.rungs.length > 0 ? `; rungs at ${r.rungs.join(', ')}` : ''}`,
    )
  if (d.setup.studyFile) out.push(`- Study file: ${e(d.setup.studyFile)}`)
  out.push('')
  if (d.space.length > 0)
    out.push(
      table(
        ['parameter', 'type', 'range', 'baseline', 'best'],
        d.space.map((s) => [s.name, s.kind, s.range, s.baseline ?? '–', s.best ?? '–']),
      ),
      '',
    )
  if (d.setup.studyFileText)
    out.push('<details><summary>Study file</summary>', '', fenced(d.setup.studyFileText, 'yaml'), '', '</details>', '')
  const lineage = d.setup.lineage
  if (lineage) {
    out.push('### History', '')
    for (const s of lineage.steps) out.push(`- ${e(s.summary)}${s.detail ? ` — ${e(s.detail)}` : ''}`)
    if (lineage.steps.length > 0) out.push('')
    for (const [i, f] of lineage.earlierStudyFiles.entries())
      out.push(
        // Inside an HTML block Markdown escapes are not processed: HTML-escape only.
        `<details><summary>${escapeHtml(earlierFileLabel(lineage.earlierStudyFiles, i))}</summary>`,
        '',
        fenced(f.text, 'yaml'),
        '',
        '</details>',
        '',
      )
  }

  out.push('## Baseline vs best', '')
  if (d.comparison.length > 0 && d.baseline && d.best[0]) {
    out.push(
      table(
        ['metric', `baseline #${d.baseline.number}`, `best #${d.best[0].number}`, 'gain'],
        d.comparison.map((m) => [
          m.objective ? `${m.metric} (objective, ${m.direction})` : m.metric,
          num(m.baseline),
          num(m.best),
          m.objective
            ? pct(m.gain)
            : m.change === undefined
              ? '–'
              : `${m.change >= 0 ? '+' : ''}${num(m.change)} (difference)`,
        ]),
      ),
      '',
    )
    out.push(`Best parameters: ${e(paramsText(d.best[0].params))}`, '')
    if (d.baselineCaveat !== undefined) out.push(e(d.baselineCaveat), '')
  } else if (d.best.length > 1 || (d.study.directions.length > 1 && d.best.length > 0)) {
    out.push(`Pareto front: ${d.best.length} trial${d.best.length === 1 ? '' : 's'}.`, '')
    if (d.baselineCaveat !== undefined) out.push(e(d.baselineCaveat), '')
    const front = frontRows(d)
    out.push(
      table(
        front.head,
        front.rows.map((r) => r.cells),
      ),
      '',
    )
  } else
    out.push(
      d.best.length === 0
        ? (d.noBest ?? 'No trial has completed yet.')
        : 'The study has no baseline trial, so there is no gain to show.',
      '',
    )

  out.push('## Optimization history', '')
  const complete = d.history.filter((h) => h.state === 'COMPLETE')
  out.push(
    `${d.history.length} trials have a value (${complete.length} complete).${d.best[0] && d.best.length === 1 ? ` The best, #${d.best[0].number}, was found after ${d.history.filter((h) => h.number <= d.best[0].number).length} of them.` : ''} See the HTML report for the chart.`,
    '',
  )
  out.push('## Learning curves', '')
  out.push(
    d.curves.length > 0
      ? `${d.curves.length} trials reported intermediate values${r && r.rungs.length > 0 ? `; rungs at ${r.rungs.join(', ')} ${e(r.kind)}` : ''}. See the HTML report for the chart.`
      : 'No trial reported intermediate values.',
    '',
  )

  out.push('## Parameter importance', '')
  if (d.importance.entries.length > 0)
    out.push(
      table(
        ['parameter', 'importance'],
        d.importance.entries.map((x) => [x.param, num(x.importance)]),
      ),
      '',
    )
  if (d.importance.note) out.push(`> ${e(d.importance.note)}`, '')

  out.push('## Sensitivity', '')
  if (d.sensitivity.kind === 'ofat' && d.sensitivity.params.length > 0)
    out.push(table(['parameter', 'objective range', 'best level (value)', 'baseline level'], ofatRows(d)), '')
  out.push(`Slice plots of ${d.sensitivity.params.length} parameters are in the HTML report.`, '')

  if (d.pareto) {
    const p = d.pareto
    out.push(
      '## Pareto front',
      '',
      e(
        `${frontSummary(p)}; hypervolume ${num(p.hypervolume)} (reference point: the worst value seen plus a tenth of the range, ${p.objectives.map((o, i) => `${o.name} ${num(p.reference[i])}`).join(', ')}).`,
      ),
      '',
    )
  }

  out.push('## Rank transfer between fidelities', '')
  if (d.rankTransfer) {
    const rt = d.rankTransfer
    out.push(e(`${rt.kind} ${rt.low} → ${rt.high}: ${rt.result.message}`), '')
    if (rt.ladder.length >= 2)
      out.push(
        table(
          [`${rt.kind} from`, 'to', 'trials at both', 'Spearman', 'Kendall', 'verdict'],
          rt.ladder.map((l) => [
            num(l.low),
            num(l.high),
            String(l.result.n),
            num(l.result.spearman),
            num(l.result.kendall),
            l.result.verdict.replaceAll('_', ' '),
          ]),
        ),
        '',
      )
  } else out.push('The study has no multi-fidelity resource.', '')
  const rungs = rungTable(d)
  if (rungs) out.push('## Rungs', '', table(rungs.header, rungs.rows), '')

  out.push('## Compute used and saved', '')
  const cost = d.cost
  if (cost) {
    const rows = [[cost.unit, count(cost.resourceUsed), count(cost.resourceFull)]]
    if (cost.gpuSeconds)
      rows.push(['GPU time', hoursText(cost.gpuSeconds.used), hoursText(cost.gpuSeconds.fullEstimate)])
    if (cost.wallSeconds)
      rows.push(['trial wall-clock time', hoursText(cost.wallSeconds.used), hoursText(cost.wallSeconds.fullEstimate)])
    if (cost.tokens)
      rows.push(['tokens', count(Math.round(cost.tokens.used)), count(Math.round(cost.tokens.fullEstimate))])
    out.push(e(cost.message), '', table(['measure', 'used', 'at full fidelity'], rows), '')
  } else out.push('No trial recorded a resource yet.', '')

  out.push('## Reproducibility record', '')
  const rp = d.repro
  const rows: string[][] = []
  if (rp.command) rows.push(['trial command', rp.command.join(' ')])
  for (const { label, run } of runsShown(rp.runs ?? [])) rows.push([label, describeRun(run)])
  if (rp.git)
    rows.push([rp.runs ? 'git now (at this report)' : 'git commit', `${describeGit(rp.git)} in ${rp.git.dir}`])
  else if (rp.gitNote) rows.push(['git commit', rp.gitNote])
  rows.push(['Winnow version', rp.winnowVersion])
  for (const s of rp.seeds) rows.push([s.label, s.value])
  rows.push(
    ['host', `${rp.host.hostname} — ${rp.host.cpu} × ${rp.host.cpus}, ${rp.host.platform}`],
    ['Node.js', rp.host.node],
  )
  for (const x of rp.hashes) rows.push([x.label, x.value])
  out.push(table(['item', 'value'], rows), '')
  return `${out.join('\n')}\n`
}

function paramsText(p: Readonly<Record<string, unknown>>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : String(v)}`)
    .join(' ')
}

/**
 * A one-at-a-time sweep per parameter, most sensitive first: how far the objective moved over its levels, the best
 * level and the baseline's (what the HTML slice plots show, for a reader of the Markdown).
 */
function ofatRows(d: ReportData): string[][] {
  const sign = d.study.directions[0] === 'maximize' ? -1 : 1
  return d.sensitivity.params
    .flatMap((p) => {
      if (p.points.length === 0) return []
      const ys = p.points.map((q) => q.y)
      const best = p.points.reduce((a, b) => (sign * b.y < sign * a.y ? b : a))
      const level = (x: number) => (p.categories ? String(p.categories[x]) : num(x))
      const range = Math.max(...ys) - Math.min(...ys)
      return [
        {
          range,
          row: [
            p.name,
            num(range),
            `${level(best.x)} (${num(best.y)})`,
            p.baselineX === undefined ? '–' : level(p.baselineX),
          ],
        },
      ]
    })
    .sort((a, b) => b.range - a.range)
    .map((r) => r.row)
}
