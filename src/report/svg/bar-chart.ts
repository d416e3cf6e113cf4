import { escapeHtml } from '../escape.ts'
import { tickLabel } from './scale.ts'

/** One bar: a label and a non-negative value; `title` is its tooltip. */
export interface Bar {
  readonly label: string
  readonly value: number
  readonly title?: string
}

/**
 * Renders horizontal bars (largest first as given) as an inline SVG string, each labelled on the left with its
 * value at the bar's end. Used for parameter importance.
 */
export function renderBarChart(label: string, bars: readonly Bar[], opts: { width?: number; unit?: string } = {}) {
  if (bars.length === 0) return `<p class="empty">No data to plot for ${escapeHtml(label)}.</p>`
  const W = opts.width ?? 960
  const rowH = 24
  const longest = Math.max(...bars.map((b) => b.label.length))
  const left = Math.min(260, Math.max(80, longest * 7.2 + 14))
  const right = 70
  const H = bars.length * rowH + 16
  const max = Math.max(...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)), 1e-12)
  const out = [
    `<svg class="chart bars" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">`,
  ]
  bars.forEach((b, i) => {
    const y = 8 + i * rowH
    const v = Number.isFinite(b.value) && b.value > 0 ? b.value : 0
    const w = ((W - left - right) * v) / max
    const name = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label
    out.push(
      `<text class="bar-label" x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(name)}</text>`,
      `<rect class="bar" x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}"><title>${escapeHtml(b.title ?? `${b.label}: ${b.value}`)}</title></rect>`,
      `<text class="bar-value" x="${(left + w + 6).toFixed(1)}" y="${y + 16}">${escapeHtml(tickLabel(v) + (opts.unit ?? ''))}</text>`,
    )
  })
  out.push('</svg>')
  return out.join('')
}
