import { escapeHtml } from '../escape.ts'
import { shorten } from '../format.ts'
import { extent, makeScale, tickLabel } from './scale.ts'

/** One marker of a plot; `cls` picks its style (e.g. `pruned`, `best`, `baseline`), `title` its tooltip. */
export interface PlotPoint {
  readonly x: number
  readonly y: number
  readonly cls?: string
  readonly title?: string
  readonly r?: number
}

/** A polyline through points (sorted by x by the caller); `stepped` draws a staircase (best-so-far). */
export interface PlotLine {
  readonly points: readonly { readonly x: number; readonly y: number }[]
  readonly cls?: string
  readonly title?: string
  readonly stepped?: boolean
}

/** A horizontal or vertical reference line across the plot, with a short label. */
export interface PlotRule {
  readonly value: number
  readonly label?: string
  readonly cls?: string
}

/** What `renderPlot` draws. Every string in it is escaped by the renderer. */
export interface PlotSpec {
  readonly label: string
  readonly xLabel: string
  readonly yLabel: string
  readonly width?: number
  readonly height?: number
  readonly xLog?: boolean
  readonly yLog?: boolean
  /** Category names when x is categorical: point x values are indices into this list. */
  readonly xCategories?: readonly string[]
  readonly lines?: readonly PlotLine[]
  readonly points?: readonly PlotPoint[]
  readonly hRules?: readonly PlotRule[]
  readonly vRules?: readonly PlotRule[]
  /** Draw the y = x diagonal (low vs high fidelity scatter). */
  readonly diagonal?: boolean
  readonly legend?: readonly { readonly label: string; readonly cls: string; readonly kind: 'line' | 'point' }[]
}

const M = { left: 62, right: 14, top: 12, bottom: 42 }

/**
 * Renders a line / scatter plot as an inline SVG string: axes with round ticks, grid, reference rules, lines,
 * markers with native tooltips (`<title>`), and a legend. Returns a short note instead when there is no data.
 */
export function renderPlot(spec: PlotSpec): string {
  const W = spec.width ?? 960
  const legendH = spec.legend && spec.legend.length > 0 ? 22 : 0
  const H = spec.height ?? 300
  const pts = spec.points ?? []
  const lines = spec.lines ?? []
  const xs = [...pts.map((p) => p.x), ...lines.flatMap((l) => l.points.map((p) => p.x))]
  const ys = [...pts.map((p) => p.y), ...lines.flatMap((l) => l.points.map((p) => p.y))]
  const cats = spec.xCategories
  const xDom = cats
    ? ([-0.5, cats.length - 0.5] as [number, number])
    : extent([...xs, ...(spec.vRules ?? []).map((r) => r.value)], 0.03, spec.xLog)
  let yDom = extent([...ys, ...(spec.hRules ?? []).map((r) => r.value)], 0.06, spec.yLog)
  if (xDom === undefined || yDom === undefined || xs.length === 0)
    return `<p class="empty">No data to plot for ${escapeHtml(spec.label)}.</p>`
  if (spec.diagonal) {
    const lo = Math.min(xDom[0], yDom[0])
    const hi = Math.max(xDom[1], yDom[1])
    yDom = [lo, hi]
  }
  const x = makeScale(spec.diagonal ? yDom : xDom, [M.left, W - M.right], spec.xLog)
  const y = makeScale(yDom, [H - M.bottom - legendH, M.top], spec.yLog)
  const x0 = M.left
  const x1 = W - M.right
  const y0 = H - M.bottom - legendH
  const y1 = M.top
  const f = (v: number) => v.toFixed(1)
  const out: string[] = []
  out.push(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(spec.label)}" xmlns="http://www.w3.org/2000/svg">`,
  )
  const clipId = `c${Math.abs(hash(spec.label + xs.length + ys.length))}`
  out.push(
    `<defs><clipPath id="${clipId}"><rect x="${x0}" y="${y1 - 4}" width="${x1 - x0}" height="${y0 - y1 + 8}"/></clipPath></defs>`,
  )
  // Grid and ticks.
  out.push('<g class="grid">')
  for (const t of y.ticks) out.push(`<line x1="${x0}" x2="${x1}" y1="${f(y(t))}" y2="${f(y(t))}"/>`)
  const xGrid = cats ? cats.map((_, i) => i) : x.ticks
  for (const t of xGrid) out.push(`<line y1="${y0}" y2="${y1}" x1="${f(x(t))}" x2="${f(x(t))}"/>`)
  out.push('</g><g class="axis">')
  out.push(`<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}"/><line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}"/>`)
  for (const t of y.ticks)
    out.push(`<text x="${x0 - 6}" y="${f(y(t) + 4)}" text-anchor="end">${escapeHtml(tickLabel(t))}</text>`)
  const xTicks = cats
    ? cats.map((c, i) => [i, shorten(c, Math.max(4, Math.floor(90 / cats.length)))] as const)
    : x.ticks.map((t) => [t, tickLabel(t)] as const)
  for (const [v, label] of xTicks)
    out.push(`<text x="${f(x(v))}" y="${y0 + 16}" text-anchor="middle">${escapeHtml(label)}</text>`)
  out.push(
    `<text class="label" x="${(x0 + x1) / 2}" y="${y0 + 34}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`,
  )
  out.push(
    `<text class="label" transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`,
  )
  out.push(`</g><g clip-path="url(#${clipId})">`)
  if (spec.diagonal)
    out.push(
      `<line class="rule diagonal" x1="${f(x(yDom[0]))}" y1="${f(y(yDom[0]))}" x2="${f(x(yDom[1]))}" y2="${f(y(yDom[1]))}"/>`,
    )
  for (const r of spec.hRules ?? []) out.push(rule(r, 'h', y(r.value), x0, x1))
  for (const r of spec.vRules ?? []) out.push(rule(r, 'v', x(r.value), y0, y1))
  for (const l of lines) {
    if (l.points.length === 0) continue
    const d = pathOf(l, x, y)
    out.push(
      `<path class="ln ${escapeHtml(l.cls ?? '')}" d="${d}">${l.title ? `<title>${escapeHtml(l.title)}</title>` : ''}</path>`,
    )
  }
  for (const p of pts)
    out.push(
      `<circle class="pt ${escapeHtml(p.cls ?? '')}" cx="${f(x(p.x))}" cy="${f(y(p.y))}" r="${p.r ?? 3.5}">${p.title ? `<title>${escapeHtml(p.title)}</title>` : ''}</circle>`,
    )
  out.push('</g>')
  if (spec.legend && spec.legend.length > 0) {
    let lx = x0
    const ly = H - 10
    out.push('<g class="legend">')
    for (const item of spec.legend) {
      const mark =
        item.kind === 'line'
          ? `<line class="ln ${escapeHtml(item.cls)}" x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}"/>`
          : `<circle class="pt ${escapeHtml(item.cls)}" cx="${lx + 9}" cy="${ly - 4}" r="4"/>`
      out.push(`${mark}<text x="${lx + 24}" y="${ly}">${escapeHtml(item.label)}</text>`)
      lx += 34 + item.label.length * 6.6
    }
    out.push('</g>')
  }
  out.push('</svg>')
  return out.join('')
}

function pathOf(l: PlotLine, x: (v: number) => number, y: (v: number) => number): string {
  const f = (v: number) => v.toFixed(1)
  const parts: string[] = []
  l.points.forEach((p, i) => {
    if (i === 0) parts.push(`M${f(x(p.x))} ${f(y(p.y))}`)
    else if (l.stepped) parts.push(`H${f(x(p.x))}V${f(y(p.y))}`)
    else parts.push(`L${f(x(p.x))} ${f(y(p.y))}`)
  })
  return parts.join('')
}

function rule(r: PlotRule, dir: 'h' | 'v', at: number, from: number, to: number): string {
  const a = at.toFixed(1)
  const line =
    dir === 'h'
      ? `<line class="rule ${escapeHtml(r.cls ?? '')}" x1="${from}" x2="${to}" y1="${a}" y2="${a}"/>`
      : `<line class="rule ${escapeHtml(r.cls ?? '')}" y1="${from}" y2="${to}" x1="${a}" x2="${a}"/>`
  if (!r.label) return line
  const text =
    dir === 'h'
      ? `<text class="rule-label ${escapeHtml(r.cls ?? '')}" x="${to - 4}" y="${(at - 4).toFixed(1)}" text-anchor="end">${escapeHtml(r.label)}</text>`
      : `<text class="rule-label ${escapeHtml(r.cls ?? '')}" x="${(at + 3).toFixed(1)}" y="${to + 10}">${escapeHtml(r.label)}</text>`
  return line + text
}

function hash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0
  return h
}
