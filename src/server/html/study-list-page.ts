import { escapeHtml as h } from '../../report/escape.ts'
import { num, pct } from '../../report/format.ts'
import type { StudyDigest } from '../study-digest.ts'
import { agoText, renderPage, studyHref, timeText, trialHref } from './layout.ts'

/**
 * The home page: every study of the storage with its counts, best value, gain over the baseline and last activity.
 * It stays current through the list's event stream (`/api/events`): the page script swaps in the fragment
 * (`/fragment`) when a study is added, deleted or changes.
 */
export function renderStudyListPage(
  storageUrl: string,
  studies: readonly StudyDigest[],
  signature: string,
  now = Date.now(),
): string {
  return renderPage({
    title: 'Winnow dashboard',
    live: true,
    body: `<header><h1>Winnow dashboard<span id="live-status" class="live">connecting…</span></h1></header>
<div id="live" data-version="${h(signature)}" data-events="/api/events" data-fragment="/fragment">${renderStudyListFragment(storageUrl, studies, now)}</div>`,
  })
}

/** The live part of the home page: the count line and the table of studies (names escaped). */
export function renderStudyListFragment(storageUrl: string, studies: readonly StudyDigest[], now = Date.now()): string {
  const rows = studies.map((s) => {
    const c = s.counts
    const objective = s.metricNames.map((m, i) => `${m} (${s.directions[i]})`).join(', ')
    const best =
      s.best !== null
        ? `${h(num(s.best.values?.[0]))} <a href="${h(trialHref(s.name, s.best.number))}">#${s.best.number}</a>`
        : s.paretoSize !== null
          ? `Pareto front: ${s.paretoSize} trials`
          : c.COMPLETE > 0 && s.infeasible === c.COMPLETE
            ? 'none meets the constraints'
            : '–'
    const gainCls = s.gain === null ? '' : s.gain > 0 ? 'good' : s.gain < 0 ? 'bad' : ''
    return `<tr><td><a href="${h(studyHref(s.name))}">${h(s.name)}</a></td><td>${h(objective)}</td>
<td>${s.total}: ${c.COMPLETE} complete${s.infeasible > 0 ? ` (${s.infeasible} infeasible)` : ''}, ${c.RUNNING} running, ${c.PRUNED} pruned, ${c.PAUSED} paused, ${c.FAIL} failed${c.WAITING > 0 ? `, ${c.WAITING} waiting` : ''}</td>
<td>${best}</td><td class="${gainCls}"${s.baselineCaveat !== null ? ` title="${h(s.baselineCaveat)}"` : ''}>${h(s.gain === null ? '–' : `${pct(s.gain)}${s.baselineCaveat !== null ? ' (infeasible baseline)' : ''}`)}</td>
<td title="${h(timeText(s.lastActivity))}">${h(agoText(s.lastActivity, now))}</td></tr>`
  })
  const table =
    studies.length === 0
      ? `<p class="note">This storage holds no study yet. Start one with <code>winnow tune study.yaml --storage ${h(storageUrl)}</code>; it shows up here.</p>`
      : `<table><thead><tr><th>study</th><th>objective</th><th>trials</th><th>best</th><th>gain vs baseline</th><th>last activity</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  return `<p class="meta">${studies.length} ${studies.length === 1 ? 'study' : 'studies'} in <code>${h(storageUrl)}</code> · read ${h(timeText(now))}</p>
${table}`
}
