import { escapeHtml as h } from '../../report/escape.ts'
import { REPORT_CSS } from '../../report/html-shell.ts'

/** Where the page script is served (see live-script.ts); same origin, so the CSP can forbid inline scripts. */
export const LIVE_SCRIPT_PATH = '/assets/live.js'

/**
 * The Content-Security-Policy header of every dashboard page: only the dashboard's own script runs, only the
 * dashboard is fetched, no inline script. A study string that slipped past escaping still could not run.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const DASHBOARD_CSS = `
main{max-width:1180px}.crumbs{font-size:13px;margin:0 0 8px}.crumbs a,td a,.pager a,th a{color:var(--accent);text-decoration:none}
.live{font-size:12px;border-radius:10px;padding:2px 9px;margin-left:10px;vertical-align:middle;background:var(--soft);color:var(--muted);border:1px solid var(--line)}
.live.on{color:var(--good);border-color:#a7d7b5}.live.off{color:var(--bad)}
.counters{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0 0}.counter{border:1px solid var(--line);border-radius:6px;padding:4px 12px;font-size:13px;background:var(--soft)}
.counter b{font-size:18px;font-variant-numeric:tabular-nums;margin-right:6px}.counter.RUNNING b{color:var(--accent)}.counter.FAIL b{color:var(--bad)}
.state{font-size:12px;font-weight:600}.state.COMPLETE{color:var(--good)}.state.PRUNED,.state.WAITING{color:var(--muted)}.state.FAIL{color:var(--bad)}.state.RUNNING{color:var(--accent)}.state.PAUSED{color:var(--best)}
.pager{display:flex;gap:14px;align-items:center;font-size:13px;margin:6px 0}.tag{font-size:11px;border:1px solid var(--line);border-radius:8px;padding:0 6px;margin-left:4px;color:var(--muted)}
pre.log{background:#111827;color:#e5e7eb;border-radius:6px;padding:10px 12px;overflow:auto;max-height:520px;white-space:pre-wrap;font-size:12px}
#trials table{width:auto;min-width:100%}#trials th,#trials td{white-space:nowrap;overflow-wrap:normal}#trials td:last-child{white-space:normal;min-width:240px}
.json{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap}
`

/** What `renderPage` wraps. */
export interface PageSpec {
  readonly title: string
  /** Already-escaped HTML of the page body. */
  readonly body: string
  /** Load the live-update script (pages with a `#live` element). */
  readonly live?: boolean
}

/** Renders a whole dashboard page: inline CSS (the report's plus a few rules), the body, and the live script. */
export function renderPage(p: PageSpec): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(p.title)}</title>
<style>${REPORT_CSS}${DASHBOARD_CSS}</style></head>
<body><main>
${p.body}
</main>${p.live ? `<script src="${LIVE_SCRIPT_PATH}" defer></script>` : ''}</body></html>
`
}

/** The link to a study's page. */
/** A trial state as a coloured badge. */
export function stateBadge(state: string): string {
  return `<span class="state ${h(state)}">${h(state)}</span>`
}

export function studyHref(name: string): string {
  return `/study/${encodeURIComponent(name)}`
}

/** The link to a trial's page. */
export function trialHref(name: string, number: number): string {
  return `${studyHref(name)}/trial/${number}`
}

/** An epoch-ms time as `2025-11-28 04:17:05 UTC`, or `–`. */
export function timeText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** How long ago an epoch-ms time was, e.g. `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function agoText(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86400) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86400)} d ago`
}
