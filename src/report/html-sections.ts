import { savedCell } from '../core/analysis/cost.ts'
import { escapeHtml as h } from './escape.ts'
import { num, pct, quoteArg } from './format.ts'
import { earlierFileLabel, type Lineage } from './lineage.ts'
import { frontRows } from './pareto-data.ts'
import type { ReportData } from './report-data.ts'
import { describeGit, describeRun, runsShown } from './run-records.ts'

/** A `<section>` with an id (for the table of contents), a heading and a body. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${h(id)}"><h2>${h(title)}</h2>${body}</section>`
}

/** An HTML table; cells are escaped unless given as `{ html }`. */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly (string | { html: string })[])[],
): string {
  const cell = (c: string | { html: string }) => (typeof c === 'string' ? h(c) : c.html)
  return `<table><thead><tr>${header.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`
}

/** The headline: study name, objective, counts, and the key numbers (baseline, best, gain, compute saved). */
export function headerSection(d: ReportData): string {
  const c = d.counts
  const objective = d.study.metricNames.map((m, i) => `${m} (${d.study.directions[i]})`).join(', ')
  const total = Object.values(c).reduce((a, b) => a + b, 0)
  const gainRow = d.comparison.find((r) => r.objective)
  const cards: [string, string, string?][] = []
  if (d.baseline)
    cards.push([
      `baseline #${d.baseline.number}`,
      num(d.baseline.values?.[0]),
      d.baseline.values ? undefined : d.baseline.state,
    ])
  if (d.best.length === 1) cards.push([`best #${d.best[0].number}`, num(d.best[0].values?.[0])])
  else if (d.best.length > 1) cards.push(['Pareto front', `${d.best.length} trials`])
  if (gainRow?.gain !== undefined)
    cards.push(['gain vs baseline', pct(gainRow.gain), gainRow.gain > 0 ? 'good' : 'bad'])
  if (d.cost) cards.push(['compute saved', savedCell(d.cost.resourceUsed, d.cost.resourceFull)])
  return `<header><h1>Winnow report: <span class="name">${h(d.study.name)}</span></h1>
${d.study.description ? `<p class="lede">${h(d.study.description)}</p>` : ''}
<p class="meta">Objective: ${h(objective)} · ${total} trials: ${c.COMPLETE} complete${d.infeasible > 0 ? ` (${d.infeasible} breaking a constraint)` : ''}, ${c.PRUNED} pruned${d.withdrawn > 0 ? ` (${d.withdrawn} withdrawn unrun)` : ''}, ${c.FAIL} failed, ${c.PAUSED} paused, ${c.RUNNING} running, ${c.WAITING} waiting · created ${h(new Date(d.study.createdAt).toISOString().slice(0, 16).replace('T', ' '))} UTC · report generated ${h(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>
<div class="cards">${cards.map(([k, v, cls]) => `<div class="card ${h(cls ?? '')}"><div class="k">${h(k)}</div><div class="v">${h(v)}</div></div>`).join('')}</div></header>`
}

/** Sampler and scheduler, resource, the search-space table, and the study file text. */
export function setupSection(d: ReportData): string {
  const s = d.setup
  const facts: string[] = []
  if (s.strategies) facts.push(`<li><b>Strategies:</b> ${h(s.strategies)}</li>`)
  if (s.resource)
    facts.push(
      `<li><b>Resource:</b> ${h(s.resource.kind)} from ${h(num(s.resource.min))} to ${h(num(s.resource.max))}${s.resource.rungs.length > 0 ? `; rungs at ${h(s.resource.rungs.join(', '))}` : ''}</li>`,
    )
  if (s.studyFile) facts.push(`<li><b>Study file:</b> <code>${h(s.studyFile)}</code></li>`)
  const space =
    d.space.length === 0
      ? '<p class="empty">No parameters were recorded.</p>'
      : htmlTable(
          [
            'parameter',
            'type',
            'range',
            `baseline${d.baseline ? ` #${d.baseline.number}` : ''}`,
            `best${d.best.length === 1 ? ` #${d.best[0].number}` : ''}`,
          ],
          d.space.map((r) => [r.name, r.kind, r.range, r.baseline ?? '–', r.best ?? '–']),
        )
  const file = s.studyFileText
    ? `<details open><summary>Study file</summary><pre class="file">${h(s.studyFileText)}</pre></details>`
    : '<p class="note">The study file text is not recorded (the study was not created by <code>winnow tune</code>).</p>'
  return section(
    'setup',
    'Setup and search space',
    `<ul class="facts">${facts.join('')}</ul>${space}${file}${lineageHtml(s.lineage)}`,
  )
}

/** Focus links and narrowings, then each earlier study file (collapsed), oldest first. */
function lineageHtml(l: Lineage | undefined): string {
  if (l === undefined) return ''
  const steps = l.steps.map((s) => `<li>${h(s.summary)}${s.detail ? ` — ${h(s.detail)}` : ''}</li>`).join('')
  const files = l.earlierStudyFiles
    .map(
      (f, i, all) =>
        `<details><summary>${h(earlierFileLabel(all, i))}</summary><pre class="file">${h(f.text)}</pre></details>`,
    )
    .join('')
  return `<h3>History</h3>${steps ? `<ul class="facts">${steps}</ul>` : ''}${files}`
}

/** Baseline vs best on every recorded metric, with the gain on the objectives. */
export function comparisonSection(d: ReportData): string {
  let body: string
  if (d.study.directions.length > 1 && d.best.length > 0) {
    body = `<p>This study has ${d.study.metricNames.length} objectives; its Pareto front holds ${d.best.length} trials.</p>${paretoTable(d)}`
  } else if (d.comparison.length === 0) {
    const noBest = d.noBest ?? 'No trial has completed yet.'
    body = d.baseline
      ? `<p class="note">${h(noBest)}${d.baseline.values ? '' : ` The baseline #${d.baseline.number} is ${h(d.baseline.state)}.`}</p>`
      : `<p class="note">${d.best.length === 0 ? h(noBest) : 'This study has no baseline trial (a trial with system attribute baseline = true), so there is no gain to show.'}</p>${d.best[0] ? paretoTable(d) : ''}`
  } else {
    const b = d.baseline!
    const best = d.best[0]
    body = htmlTable(
      ['metric', `baseline #${b.number}`, `best #${best.number}`, 'gain'],
      d.comparison.map((r) => [
        r.objective ? `${r.metric} (objective, ${r.direction})` : r.metric,
        num(r.baseline),
        num(r.best),
        r.objective
          ? {
              html: `<span class="${(r.gain ?? 0) > 0 ? 'good' : (r.gain ?? 0) < 0 ? 'bad' : ''}">${h(pct(r.gain))}</span>`,
            }
          : r.change === undefined
            ? '–'
            : `${r.change >= 0 ? '+' : ''}${num(r.change)} (difference)`,
      ]),
    )
    body += `<p class="caption">Gain is the relative improvement in the objective's direction (positive is better). Other metrics are the last values each trial reported; their difference (best − baseline) is shown without judging its direction.</p>`
  }
  if (d.baselineCaveat !== undefined) body += `<p class="note">${h(d.baselineCaveat)}</p>`
  return section('baseline-vs-best', 'Baseline vs best', body)
}

function paretoTable(d: ReportData): string {
  const front = frontRows(d)
  const rows = front.rows.map(({ trial, cells }) => [
    ...cells,
    Object.entries(trial.params)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : String(v)}`)
      .join(' '),
  ])
  return htmlTable([...front.head, 'params'], rows)
}

/** Every trial in a collapsed table: state, value, parameters, and why it stopped. */
export function trialsSection(d: ReportData): string {
  const params = d.space.map((s) => s.name)
  const rows = d.history.slice(0, 1000)
  const paramText = (r: (typeof rows)[number], p: string) => {
    const v = r.params[p]
    return v === undefined ? '–' : typeof v === 'number' ? num(v) : String(v)
  }
  const table = htmlTable(
    ['trial', 'state', d.study.metricNames[0], ...params, 'note'],
    rows.map((r) => [
      `#${r.number}${r.baseline ? ' (baseline)' : ''}${r.best ? ' (best)' : ''}`,
      r.state,
      num(r.value),
      ...params.map((p) => paramText(r, p)),
      r.reason ?? '',
    ]),
  )
  return section(
    'trials',
    'All trials',
    `<details><summary>${rows.length}${d.history.length > rows.length ? ` of ${d.history.length}` : ''} trials with a value (pruned trials show their last reported value)</summary><div class="scroll">${table}</div></details>`,
  )
}

/** Command, git commit, Winnow version, seeds, host and hashes. */
export function reproSection(d: ReportData): string {
  const r = d.repro
  const rows: [string, string | { html: string }][] = []
  if (r.command) rows.push(['trial command', { html: `<code>${h(r.command.map(quoteArg).join(' '))}</code>` }])
  if (d.setup.studyFile)
    rows.push(['re-run', { html: `<code>${h(`winnow tune ${quoteArg(d.setup.studyFile)}`)}</code>` }])
  for (const { label, run } of runsShown(r.runs ?? [])) rows.push([label, describeRun(run)])
  if (r.git) rows.push([r.runs ? 'git now (at this report)' : 'git commit', `${describeGit(r.git)} in ${r.git.dir}`])
  else if (r.gitNote) rows.push(['git commit', r.gitNote])
  rows.push(['Winnow version', r.winnowVersion])
  for (const s of r.seeds) rows.push([s.label, s.value])
  rows.push(['host', `${r.host.hostname} — ${r.host.cpu} × ${r.host.cpus}, ${r.host.platform}`])
  rows.push(['Node.js', r.host.node])
  for (const x of r.hashes) rows.push([x.label, { html: `<code>${h(x.value)}</code>` }])
  const note = `<p class="caption">${h(r.runs ? 'Each run row is what `winnow tune` / `worker` recorded when that run started; the host and versions below are those of the machine that generated this report.' : 'Host and versions are those of the machine that generated this report (this study recorded no runs: it predates run records, or was filled through the library).')}</p>`
  return section('reproducibility', 'Reproducibility record', htmlTable(['item', 'value'], rows) + note)
}
