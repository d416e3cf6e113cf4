import pc from 'picocolors'
import type { ParamValue, ParamValues } from '../core/distributions/distribution.ts'
import { num } from '../report/format.ts'

/** A number for humans (the report's rule: 4 significant digits, exponent form at the extremes), `-` if absent. */
export function formatNumber(x: number | null | undefined): string {
  return x === null || x === undefined ? '-' : num(x)
}

/** A parameter value for tables. */
export function formatParam(v: ParamValue | undefined): string {
  return typeof v === 'number' ? formatNumber(v) : v === undefined ? '-' : String(v)
}

/** `lr=2e-4 r=16 …` */
export function formatParams(p: ParamValues): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${formatParam(v)}`)
    .join(' ')
}

/** A signed percentage such as `+31.2 %` (better) coloured green, worse red. */
export function formatGain(g: number | undefined): string {
  if (g === undefined) return '-'
  // Rounded first: a gain of -0 or -0.00001 is no loss, and must not print as "-0.0 %".
  const pct = Number((g * 100).toFixed(1))
  const s = `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`
  return pct > 0 ? pc.green(s) : pct < 0 ? pc.red(s) : s
}

/** Renders rows as an aligned plain-text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width.
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '')
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => strip(r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, widths[i] - strip(c).length)))
      .join('  ')
      .trimEnd()
  return [pc.bold(line(header)), ...rows.map(line)].join('\n')
}

/** Seconds as `1h 02m`, `3m 05s` or `12.3 s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-'
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const m = Math.floor(seconds / 60)
  if (m < 60) return `${m}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}
