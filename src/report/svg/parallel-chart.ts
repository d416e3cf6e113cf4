import { escapeHtml } from '../escape.ts'
import type { ParallelData } from '../report-data.ts'
import { makeScale, tickLabel } from './scale.ts'

const TOP = 44
const BOTTOM = 20
const PLOT_H = 300
const MARGIN_X = 60
/** Categorical axes with more choices than this label every other one. */
const MAX_CHOICE_LABELS = 12

/**
 * Renders parallel coordinates as an inline SVG string: one vertical axis per entry of `data.axes` (labelled on
 * top, ticks on the left), one polyline per trial. Lines are drawn worst first so the best lie on top; a missing
 * value breaks the line. Hovering a line names the trial and its value.
 */
export function renderParallelChart(label: string, data: ParallelData, opts: { width?: number } = {}): string {
  const W = opts.width ?? 960
  const H = TOP + PLOT_H + BOTTOM
  const n = data.axes.length
  const x = (i: number) => MARGIN_X + (n === 1 ? 0 : (i * (W - 2 * MARGIN_X)) / (n - 1))
  const y = (p: number) => TOP + (1 - p) * PLOT_H
  const out = [
    `<svg class="chart parallel" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">`,
  ]
  const order = { rest: 0, top: 1, best: 2 } as const
  const lines = [...data.lines].sort((a, b) => order[a.group] - order[b.group] || b.value - a.value)
  for (const l of lines) {
    const cls = l.group === 'best' ? 'best' : l.group === 'top' ? 'top' : 'complete'
    const title = `<title>${escapeHtml(`#${l.number}${l.baseline ? ' (baseline)' : ''}: ${data.axes[n - 1].name} ${tickLabel(l.value)}`)}</title>`
    out.push(`<path class="ln pc ${cls}" d="${pathOf(l.positions, x, y)}">${title}</path>`)
  }
  data.axes.forEach((a, i) => {
    const ax = x(i).toFixed(1)
    out.push(`<g class="axis"><line x1="${ax}" y1="${TOP}" x2="${ax}" y2="${TOP + PLOT_H}"/>`)
    const name = a.name.length > 18 ? `${a.name.slice(0, 17)}…` : a.name
    out.push(
      `<text class="label" x="${ax}" y="${TOP - 26}" text-anchor="middle">${escapeHtml(name)}<title>${escapeHtml(a.name)}</title></text>`,
    )
    for (const [p, text] of ticksOf(a)) {
      const ty = y(p).toFixed(1)
      out.push(
        `<line x1="${(x(i) - 4).toFixed(1)}" y1="${ty}" x2="${ax}" y2="${ty}"/>`,
        `<text x="${(x(i) - 6).toFixed(1)}" y="${(y(p) + 3.5).toFixed(1)}" text-anchor="end">${escapeHtml(text)}</text>`,
      )
    }
    out.push('</g>')
  })
  out.push('</svg>')
  return out.join('')
}

/** An SVG path through the positions; a null ends the current run (the next value starts a new one). */
function pathOf(ps: readonly (number | null)[], x: (i: number) => number, y: (p: number) => number): string {
  const parts: string[] = []
  let pen = false
  ps.forEach((p, i) => {
    if (p === null) {
      pen = false
      return
    }
    parts.push(`${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p).toFixed(1)}`)
    pen = true
  })
  return parts.join('')
}

/** Tick positions and labels of an axis: the choices of a categorical, round values of a numeric one. */
function ticksOf(a: ParallelData['axes'][number]): [number, string][] {
  if (a.kind === 'categorical') {
    const every = a.choices.length > MAX_CHOICE_LABELS ? 2 : 1
    return a.choices
      .map((c, i): [number, string] => [a.choices.length === 1 ? 0.5 : i / (a.choices.length - 1), c])
      .filter((_, i) => i % every === 0)
      .map(([p, c]) => [p, c.length > 10 ? `${c.slice(0, 9)}…` : c])
  }
  if (a.high === a.low) return [[0.5, tickLabel(a.low)]]
  const s = makeScale([a.low, a.high], [0, 1], a.log)
  const ticks = s.ticks.filter((t) => t >= a.low * (1 - 1e-9) && t <= a.high * (1 + 1e-9))
  const ends = [a.low, a.high].filter((e) => !ticks.some((t) => Math.abs(s(t) - s(e)) < 0.08))
  return [...ticks, ...ends].map((t) => [s(t), tickLabel(t)])
}
