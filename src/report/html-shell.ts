import { escapeHtml as h } from './escape.ts'
import { analysisSections } from './html-analysis-sections.ts'
import { comparisonSection, headerSection, reproSection, setupSection, trialsSection } from './html-sections.ts'
import type { ReportData } from './report-data.ts'

/** The report's stylesheet (the dashboard reuses it, so its charts look the same). */
export const REPORT_CSS = `
:root{--fg:#1d2433;--muted:#5b6478;--line:#d9dee8;--bg:#fff;--soft:#f5f7fb;--accent:#2563eb;--best:#d97706;--base:#7c3aed;--good:#15803d;--bad:#b91c1c;--grey:#a3aab8}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1040px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:26px;margin:0 0 6px}h1 .name{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.lede{margin:0 0 6px}.meta{color:var(--muted);font-size:13px;margin:0 0 14px}
nav{font-size:13px;margin:10px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px}nav a{color:var(--accent);text-decoration:none}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px}.card{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px}
.card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.card.good .v,.good{color:var(--good)}.card.bad .v,.bad{color:var(--bad)}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}th{background:var(--soft);font-weight:600}#reproducibility td:first-child{width:28%}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}pre.file{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;max-height:420px;white-space:pre}
details{margin:10px 0}summary{cursor:pointer;color:var(--accent)}.scroll{overflow:auto;max-height:520px}
ul.facts{padding-left:18px;margin:6px 0 10px}.note{color:var(--muted);background:var(--soft);border-left:3px solid var(--line);padding:8px 12px}
.caption{color:var(--muted);font-size:13px;margin:4px 0 0}.verdict{font-weight:600}.empty{color:var(--muted)}
figure{margin:8px 0}.slices{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px 16px}.slices figure{margin:0}
svg.chart{width:100%;max-width:100%;height:auto;display:block;font-size:11px}
svg .grid line{stroke:#eef1f6}svg .axis line{stroke:#8a93a6}svg .axis text,svg .legend text{fill:var(--muted)}svg .axis .label{fill:var(--fg);font-size:12px}
svg .ln{fill:none;stroke-width:1.6}svg .ln.complete{stroke:var(--accent);opacity:.75}svg .ln.pruned,svg .ln.fail{stroke:var(--grey);opacity:.55;stroke-width:1.2}
svg .ln.best{stroke:var(--best);stroke-width:3}svg .ln.baseline{stroke:var(--base);stroke-width:2.2;stroke-dasharray:6 4}svg .ln.best-line{stroke:var(--good);stroke-width:2}
svg .pt{stroke:#fff;stroke-width:1}svg .pt.complete{fill:var(--accent)}svg .pt.infeasible{fill:#fff;stroke:var(--accent);stroke-width:1.5}svg .pt.pruned,svg .pt.fail{fill:var(--grey)}svg .pt.fail{fill:#e7a0a0}
svg .pt.best{fill:var(--best);stroke:#000;stroke-width:.8}svg .pt.baseline{fill:var(--base);stroke:#000;stroke-width:.8}svg .pt.end{stroke:none}
svg .legend .pt{stroke:none}svg .rule{stroke:#9aa3b5;stroke-dasharray:4 4}svg .rule.baseline{stroke:var(--base);stroke-dasharray:6 4;stroke-width:1.5}
svg .rule.rung{stroke:#c4cad6}svg .rule-label{fill:var(--muted);font-size:10.5px}svg .rule-label.baseline{fill:var(--base)}
svg .bar{fill:var(--accent)}svg .bar-label{fill:var(--fg);font-size:12px}svg .bar-value{fill:var(--muted);font-size:11.5px}
svg .ln.pc{stroke-width:1.1}svg .ln.pc.complete{stroke:#9aa3b5;opacity:.35}svg .ln.pc.top{stroke:var(--accent);opacity:.9;stroke-width:1.6}svg .ln.pc.best{stroke:var(--best);stroke-width:3;opacity:1}
svg circle:hover,svg path.ln:hover{stroke:#000;stroke-width:2.5;opacity:1}
@media print{main{max-width:none}details{display:block}}
`

const SECTIONS: readonly [id: string, title: string][] = [
  ['setup', 'Setup'],
  ['baseline-vs-best', 'Baseline vs best'],
  ['history', 'History'],
  ['pareto', 'Pareto front'],
  ['curves', 'Learning curves'],
  ['importance', 'Importance'],
  ['parallel', 'Parallel coordinates'],
  ['sensitivity', 'Sensitivity'],
  ['rank-transfer', 'Rank transfer'],
  ['rungs', 'Rungs'],
  ['compute', 'Compute'],
  ['reproducibility', 'Reproducibility'],
  ['trials', 'All trials'],
]

/**
 * Renders the report as one self-contained HTML document: inline CSS, charts as inline SVG with native tooltips,
 * no script and nothing fetched (a Content-Security-Policy forbids it). Every study-derived string is escaped.
 */
export function renderReportHtml(d: ReportData): string {
  const body = [setupSection(d), comparisonSection(d), analysisSections(d), reproSection(d), trialsSection(d)].join(
    '\n',
  )
  // Only sections this study has (e.g. no parallel coordinates for several objectives).
  const present = SECTIONS.filter(([id]) => body.includes(`<section id="${id}"`))
  const nav = `<nav>${present.map(([id, t]) => `<a href="#${id}">${h(t)}</a>`).join('')}</nav>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="winnow ${h(d.repro.winnowVersion)}">
<title>Winnow report: ${h(d.study.name)}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
${headerSection(d)}
${nav}
${body}
</main></body></html>
`
}
