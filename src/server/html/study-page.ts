import { savedCell } from '../../core/analysis/cost.ts'
import { escapeHtml as h } from '../../report/escape.ts'
import { num, pct } from '../../report/format.ts'
import { analysisSections } from '../../report/html-analysis-sections.ts'
import { comparisonSection } from '../../report/html-sections.ts'
import type { ReportData } from '../../report/report-data.ts'
import type { StudyDigest } from '../study-digest.ts'
import { renderPage, studyHref, timeText } from './layout.ts'
import { type TrialsPage, trialsTableHtml } from './trials-table.ts'

/** Counter labels, in the order the page shows them. */
const COUNTERS = [
  ['COMPLETE', 'complete'],
  ['RUNNING', 'running'],
  ['PRUNED', 'pruned'],
  ['PAUSED', 'paused'],
  ['FAIL', 'failed'],
  ['WAITING', 'waiting'],
] as const

/** Everything the study page shows. */
export interface StudyView {
  readonly digest: StudyDigest
  readonly data: ReportData
  /** False while the charts lag behind the counters (a big, busy study; see views.ts): the script re-fetches. */
  readonly fresh: boolean
  /** Learning curves left out of the chart. */
  readonly curvesOmitted: number
  readonly trials: TrialsPage
  readonly now: number
}

/**
 * The live part of the study page (swapped in by the page script when the study changes): counters, headline
 * numbers, baseline vs best, the report's charts (history, learning curves, importance, sensitivity, compute,
 * rank transfer when the study is multi-fidelity) and one page of the trials table.
 */
export function renderStudyFragment(v: StudyView): string {
  const { digest: s, data: d } = v
  const counters = COUNTERS.map(
    ([state, label]) => `<span class="counter ${state}"><b data-count="${state}">${s.counts[state]}</b>${label}</span>`,
  ).join('')
  const cards: [string, string, string?][] = []
  if (s.baseline)
    cards.push([`baseline #${s.baseline.number}`, s.baseline.values ? num(s.baseline.values[0]) : s.baseline.state])
  if (s.best) cards.push([`best #${s.best.number}`, num(s.best.values?.[0])])
  if (s.paretoSize !== null) cards.push(['Pareto front', `${s.paretoSize} trials`])
  if (s.gain !== null)
    cards.push([
      s.baselineCaveat !== null ? 'gain vs an infeasible baseline' : 'gain vs baseline',
      pct(s.gain),
      s.gain > 0 ? 'good' : s.gain < 0 ? 'bad' : '',
    ])
  if (d.cost) cards.push(['compute saved', savedCell(d.cost.resourceUsed, d.cost.resourceFull)])
  const cardsHtml = cards
    .map(
      ([k, val, cls]) =>
        `<div class="card ${h(cls ?? '')}"><div class="k">${h(k)}</div><div class="v">${h(val)}</div></div>`,
    )
    .join('')
  const omitted =
    v.curvesOmitted > 0
      ? `<p class="note">The learning curves show ${d.curves.length} of ${d.curves.length + v.curvesOmitted} trials: the best, the baseline and the most recent.</p>`
      : ''
  return `<div class="counters" data-version="${s.version}"${v.fresh ? '' : ' data-stale="true"'}>${counters}<span class="counter"><b>${s.total}</b>trials</span></div>
<div class="cards">${cardsHtml}</div>
${comparisonSection(d)}
${analysisSections(d, { afterCurves: omitted, skipEmptyRankTransfer: true })}
${trialsTableHtml(v.trials, {
  studyName: s.name,
  metricNames: s.metricNames,
  ...(s.best ? { bestNumber: s.best.number } : {}),
  now: v.now,
})}`
}

/** The whole study page: a static header and the live fragment, updated through the study's event stream. */
export function renderStudyPage(v: StudyView, storageUrl: string): string {
  const s = v.digest
  const enc = encodeURIComponent(s.name)
  const objective = s.metricNames.map((m, i) => `${m} (${s.directions[i]})`).join(', ')
  return renderPage({
    title: `${s.name} · Winnow dashboard`,
    live: true,
    body: `<p class="crumbs"><a href="/">All studies</a> › <a href="${h(studyHref(s.name))}">${h(s.name)}</a></p>
<header><h1><span class="name">${h(s.name)}</span><span id="live-status" class="live">connecting…</span></h1>
${v.data.study.description ? `<p class="lede">${h(v.data.study.description)}</p>` : ''}
<p class="meta">Objective: ${h(objective)} · created ${h(timeText(s.createdAt))} · storage <code>${h(storageUrl)}</code>${v.data.setup.strategies ? ` · ${h(v.data.setup.strategies)}` : ''}</p></header>
<div id="live" data-version="${s.version}" data-events="${h(`/api/studies/${enc}/events`)}" data-fragment="${h(`${studyHref(s.name)}/fragment`)}">
${renderStudyFragment(v)}
</div>`,
  })
}
