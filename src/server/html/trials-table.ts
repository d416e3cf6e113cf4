import { UsageError } from '../../core/errors.ts'
import type { Direction, FrozenTrial } from '../../core/trial/frozen-trial.ts'
import { reasonOf, sortTrials } from '../../core/trial/frozen-trial.ts'
import { escapeHtml as h } from '../../report/escape.ts'
import { hoursText, num } from '../../report/format.ts'
import type { TrialOrder } from '../query.ts'
import { stateBadge, studyHref, trialHref } from './layout.ts'

/** Trials per page of the trials table. */
export const TRIALS_PER_PAGE = 50

/** Most parameter columns; the trial page shows all of them. */
const MAX_PARAM_COLUMNS = 10

/** One page of a sorted trial list. */
export interface TrialsPage {
  readonly rows: readonly FrozenTrial[]
  readonly page: number
  readonly pages: number
  readonly total: number
  readonly order: Required<TrialOrder>
}

/**
 * Sorts trials (by number, newest first; or by the first objective, best first; `dir` overrides) and cuts out
 * one page. Trials without a value sort last either way. A page past the last one is a UsageError (HTTP 400).
 */
export function pageOfTrials(
  trials: readonly FrozenTrial[],
  order: TrialOrder,
  direction: Direction,
  page: number,
  perPage = TRIALS_PER_PAGE,
): TrialsPage {
  const dir = order.dir ?? (order.sort === 'number' ? 'desc' : direction === 'minimize' ? 'asc' : 'desc')
  const sorted = sortTrials(trials, order.sort, dir)
  const pages = Math.max(1, Math.ceil(sorted.length / perPage))
  if (page > pages)
    throw new UsageError(
      `Query parameter "page" is ${page}, but the study has ${sorted.length} trials, so the last page is ${pages}.`,
    )
  const rows = sorted.slice((page - 1) * perPage, page * perPage)
  return { rows, page, pages, total: sorted.length, order: { sort: order.sort, dir } }
}

/** What the table needs to know about the study. */
export interface TableContext {
  readonly studyName: string
  readonly metricNames: readonly string[]
  readonly bestNumber?: number
  readonly now: number
}

/** The trials table with sort links on trial and value, and the pager. Every study string is escaped. */
export function trialsTableHtml(p: TrialsPage, ctx: TableContext): string {
  const params = [...new Set(p.rows.flatMap((t) => Object.keys(t.distributions)))].sort()
  const shownParams = params.slice(0, MAX_PARAM_COLUMNS)
  const href = (q: Record<string, string | number>) =>
    h(`${studyHref(ctx.studyName)}?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}#trials`)
  const sortLink = (sort: 'number' | 'value', label: string) => {
    const active = p.order.sort === sort
    const next = active && p.order.dir === 'desc' ? 'asc' : 'desc'
    const arrow = active ? (p.order.dir === 'asc' ? ' ▲' : ' ▼') : ''
    return `<a href="${href({ sort, dir: active ? next : sort === 'number' ? 'desc' : 'asc' })}">${h(label)}${arrow}</a>`
  }
  const head = [
    sortLink('number', 'trial'),
    'state',
    ...ctx.metricNames.map((m, i) => (i === 0 ? sortLink('value', m) : h(m))),
    ...shownParams.map(h),
    'last step',
    'duration',
    'note',
  ]
  const rows = p.rows.map((t) => {
    const tags = `${t.systemAttrs.baseline === true ? '<span class="tag">baseline</span>' : ''}${t.number === ctx.bestNumber ? '<span class="tag">best</span>' : ''}`
    const end = t.finishedAt ?? (t.state === 'RUNNING' ? ctx.now : null)
    const cells = [
      `<a href="${h(trialHref(ctx.studyName, t.number))}">#${t.number}</a>${tags}`,
      stateBadge(t.state),
      ...ctx.metricNames.map((_, i) => h(num(t.values?.[i]))),
      ...shownParams.map((k) => h(paramText(t.params[k]))),
      h(t.intermediate.at(-1)?.step ?? '–'),
      h(t.startedAt !== null && end !== null ? hoursText((end - t.startedAt) / 1000) : '–'),
      h(reasonOf(t) ?? ''),
    ]
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`
  })
  const more =
    params.length > shownParams.length
      ? ` (${params.length - shownParams.length} more parameters on each trial's page)`
      : ''
  const pager = `<div class="pager"><span>page ${p.page} of ${p.pages} · ${p.total} trials${h(more)}</span>${
    p.page > 1
      ? `<a href="${href({ sort: p.order.sort, dir: p.order.dir, page: p.page - 1 })}" rel="prev">‹ previous</a>`
      : ''
  }${p.page < p.pages ? `<a href="${href({ sort: p.order.sort, dir: p.order.dir, page: p.page + 1 })}" rel="next">next ›</a>` : ''}</div>`
  return `<section id="trials"><h2>Trials</h2>${pager}<div class="scroll"><table><thead><tr>${head
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
}

function paramText(v: unknown): string {
  if (v === undefined) return '–'
  return typeof v === 'number' ? num(v) : String(v)
}
