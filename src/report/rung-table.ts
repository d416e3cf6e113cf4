import { num } from './format.ts'
import type { ReportData } from './report-data.ts'

/** The rung view as a header and text rows, shared by the HTML and Markdown reports. */
export function rungTable(d: ReportData): { header: string[]; rows: string[][] } | undefined {
  if (!d.rungs || d.rungs.length === 0) return undefined
  const last = d.rungs.length - 1
  return {
    header: [
      d.setup.resource?.kind ?? 'resource',
      'reached',
      'went on',
      'pruned there',
      'paused there',
      'running there',
      'best value there',
    ],
    rows: d.rungs.map((r, i) => [
      `${num(r.level)}${i === last ? ' (full)' : ''}`,
      String(r.reached),
      i === last ? '–' : String(r.wentOn),
      String(r.prunedHere),
      String(r.pausedHere),
      String(r.runningHere),
      r.best === undefined ? '–' : num(r.best),
    ]),
  }
}
