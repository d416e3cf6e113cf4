/** A number for reports: 4 significant digits, exponent form for very small or large magnitudes, `–` if absent. */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–'
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  const a = Math.abs(x)
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2)
  return String(Number.parseFloat(x.toPrecision(4)))
}

/** A count with thousands separators: `12,345` (two decimals at most for fractions). */
export function count(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** A signed percentage such as `+31.2 %`, or `–`. */
export function pct(g: number | undefined): string {
  if (g === undefined || !Number.isFinite(g)) return '–'
  return `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)} %`
}

/** A duration for cost tables: `42 s`, `18m 05s`, `3.4 h`. */
export function hoursText(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–'
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  return `${(seconds / 3600).toFixed(1)} h`
}

/** Quotes a command-line argument for display (POSIX shell) when it holds spaces or quotes. */
export function quoteArg(a: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`
}

/** `s` cut to at most `n` characters, an ellipsis marking the cut. */
export function shorten(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`
}
