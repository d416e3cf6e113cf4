import type { Json } from '../../core/json.ts'
import type { StudyInfo } from '../../core/storage.ts'
import type { FrozenTrial } from '../../core/trial/frozen-trial.ts'
import { reasonOf } from '../../core/trial/frozen-trial.ts'
import { rangeOf } from '../../report/build-report-data.ts'
import { escapeHtml as h } from '../../report/escape.ts'
import { hoursText, num } from '../../report/format.ts'
import { htmlTable, section } from '../../report/html-sections.ts'
import { renderPlot } from '../../report/svg/plot.ts'
import type { LogTail } from '../log-tail.ts'
import { renderPage, stateBadge, studyHref, timeText, trialHref } from './layout.ts'

/** Everything the trial page shows. */
export interface TrialView {
  readonly study: StudyInfo
  readonly trial: FrozenTrial
  readonly bestNumber?: number
  /** The tail of the log file the trial recorded (`systemAttrs.logFile`), when it recorded one. */
  readonly logFile?: LogTail
  readonly now: number
}

/** The system attribute naming a trial's log file, read by the trial page (only that path). */
export const LOG_FILE_ATTR = 'logFile'

/** The live part of the trial page: state, values, parameters, intermediate values, why it stopped, log, attributes. */
export function renderTrialFragment(v: TrialView): string {
  const t = v.trial
  const a = t.systemAttrs
  const end = t.finishedAt ?? (t.state === 'RUNNING' ? v.now : null)
  const cards: [string, string][] = [['state', t.state]]
  v.study.metricNames.forEach((m, i) => {
    cards.push([m, num(t.values?.[i])])
  })
  const last = t.intermediate.at(-1)
  if (last) cards.push([`last report (step ${last.step})`, num(last.value)])
  if (t.startedAt !== null && end !== null) cards.push(['duration', hoursText((end - t.startedAt) / 1000)])
  if (typeof a.attempts === 'number') cards.push(['attempts', String(a.attempts)])
  const reason = reasonOf(t)
  const params = Object.entries(t.params).map(([k, val]) => [
    k,
    typeof val === 'number' ? String(val) : JSON.stringify(val),
    t.distributions[k] ? `${t.distributions[k].kind} ${rangeOf(t.distributions[k])}` : '–',
  ])
  // The header's state badge sits outside the live fragment; the page script copies this hidden one into it.
  return `<template data-header="trial-state">${stateBadge(t.state)}</template>
<div class="cards">${cards.map(([k, val]) => `<div class="card"><div class="k">${h(k)}</div><div class="v">${h(val)}</div></div>`).join('')}</div>
${reason ? `<p class="note"><b>Why it stopped:</b> ${h(reason)}</p>` : ''}
${section('params', 'Parameters', params.length > 0 ? htmlTable(['parameter', 'value', 'distribution'], params) : '<p class="empty">No parameters yet.</p>')}
${metricsSection(t)}
${intermediateSection(v)}
${logSection(v)}
${section(
  'times',
  'Times',
  htmlTable(
    ['event', 'time'],
    [
      ['created', timeText(t.createdAt)],
      ['started', timeText(t.startedAt)],
      ['last heartbeat', timeText(t.heartbeatAt)],
      ['finished', timeText(t.finishedAt)],
    ],
  ),
)}
${attrsSection('system-attrs', 'System attributes', withoutLogTail(a))}
${attrsSection('user-attrs', 'User attributes', t.userAttrs)}`
}

/** The whole trial page; it refreshes itself through the study's event stream while the trial changes. */
export function renderTrialPage(v: TrialView): string {
  const t = v.trial
  const name = v.study.name
  const tags = `${t.systemAttrs.baseline === true ? '<span class="tag">baseline</span>' : ''}${t.number === v.bestNumber ? '<span class="tag">best</span>' : ''}`
  return renderPage({
    title: `#${t.number} of ${name} · Winnow dashboard`,
    live: true,
    body: `<p class="crumbs"><a href="/">All studies</a> › <a href="${h(studyHref(name))}">${h(name)}</a> › #${t.number}</p>
<header><h1>Trial #${t.number} <span id="trial-state">${stateBadge(t.state)}</span>${tags}<span id="live-status" class="live">connecting…</span></h1>
<p class="meta">Study <a href="${h(studyHref(name))}">${h(name)}</a> · trial id ${t.id}</p></header>
<div id="live" data-version="${t.version}" data-events="${h(`/api/studies/${encodeURIComponent(name)}/events`)}" data-fragment="${h(`${trialHref(name, t.number)}/fragment`)}">
${renderTrialFragment(v)}
</div>`,
  })
}

function metricsSection(t: FrozenTrial): string {
  const m = t.systemAttrs.metrics ?? t.systemAttrs.lastMetrics
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return ''
  const rows = Object.entries(m).map(([k, val]) => [k, typeof val === 'number' ? num(val) : JSON.stringify(val)])
  return section('metrics', 'Last reported metrics', htmlTable(['metric', 'value'], rows))
}

function intermediateSection(v: TrialView): string {
  const iv = v.trial.intermediate
  if (iv.length === 0)
    return section('intermediate', 'Intermediate values', '<p class="empty">No intermediate values reported.</p>')
  const metric = v.study.metricNames[0]
  const finite = iv.filter((p) => Number.isFinite(p.value))
  const chart = renderPlot({
    label: `intermediate ${metric} of trial #${v.trial.number}`,
    xLabel: 'step',
    yLabel: metric,
    height: 260,
    lines: [{ points: finite.map((p) => ({ x: p.step, y: p.value })), cls: 'complete' }],
    points: finite.map((p) => ({
      x: p.step,
      y: p.value,
      cls: 'complete',
      r: 2.5,
      title: `step ${p.step}: ${num(p.value)}`,
    })),
  })
  const rows = iv.slice(-500).map((p) => [String(p.step), num(p.value)])
  return section(
    'intermediate',
    'Intermediate values',
    `<figure>${chart}</figure><details><summary>${iv.length} ${iv.length === 1 ? 'report' : 'reports'}${iv.length > rows.length ? ` (last ${rows.length} listed)` : ''}</summary><div class="scroll">${htmlTable(['step', metric], rows)}</div></details>`,
  )
}

function logSection(v: TrialView): string {
  const log = v.logFile
  if (log?.ok)
    return section(
      'log',
      'Log',
      `<p class="meta">${log.truncated ? `Last ${log.lines.length} lines of` : 'All of'} <code>${h(log.path)}</code></p><pre class="log">${h(log.lines.join('\n'))}</pre>`,
    )
  const exit = v.trial.systemAttrs.exit
  const tail = isRecord(exit) ? exit.logTail : undefined
  const note = log ? `<p class="note">The log file <code>${h(log.path)}</code> is not shown: ${h(log.reason)}.</p>` : ''
  if (typeof tail === 'string' && tail.trim() !== '')
    return section(
      'log',
      'Log',
      `${note}<p class="meta">Log tail stored when the trial process exited</p><pre class="log">${h(tail)}</pre>`,
    )
  return note ? section('log', 'Log', note) : ''
}

function attrsSection(id: string, title: string, attrs: Readonly<Record<string, Json>>): string {
  const entries = Object.entries(attrs)
  if (entries.length === 0) return ''
  const rows = entries.map(([k, val]) => [k, { html: `<span class="json">${h(JSON.stringify(val, null, 1))}</span>` }])
  return section(id, title, htmlTable(['attribute', 'value'], rows))
}

/** The attributes without `exit.logTail`, which the log section shows as text. */
function withoutLogTail(a: Readonly<Record<string, Json>>): Record<string, Json> {
  const exit = a.exit
  if (!isRecord(exit) || !('logTail' in exit)) return { ...a }
  const { logTail: _, ...rest } = exit
  return { ...a, exit: rest }
}

function isRecord(v: Json | undefined): v is { readonly [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
