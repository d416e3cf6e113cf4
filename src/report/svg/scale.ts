/** A mapping from data values to pixels along one axis, with the tick values worth labelling. */
export interface Scale {
  (v: number): number
  readonly ticks: readonly number[]
  readonly log: boolean
}

/**
 * A linear or log scale from `domain` to `range`. A degenerate domain (one value) is widened so a single point
 * still lands mid-axis; a log scale needs a positive domain and falls back to linear otherwise.
 */
export function makeScale(domain: readonly [number, number], range: readonly [number, number], log = false): Scale {
  let [d0, d1] = domain
  const useLog = log && d0 > 0 && d1 > 0
  if (useLog) {
    if (d0 === d1) {
      d0 /= 2
      d1 *= 2
    }
    const l0 = Math.log10(d0)
    const l1 = Math.log10(d1)
    const f = (v: number) => range[0] + ((Math.log10(v) - l0) / (l1 - l0)) * (range[1] - range[0])
    return Object.assign(f, { ticks: logTicks(d0, d1), log: true })
  }
  if (d0 === d1) {
    const pad = d0 === 0 ? 1 : Math.abs(d0) * 0.1
    d0 -= pad
    d1 += pad
  }
  const f = (v: number) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0])
  return Object.assign(f, { ticks: niceTicks(d0, d1), log: false })
}

/** About five round tick values (1, 2, 5 × 10^k steps) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo
  if (!(span > 0) || !Number.isFinite(span)) return [lo]
  const raw = span / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.75) ?? 10 * mag
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

/** Powers of ten inside [lo, hi]; with fewer than two, 1-2-5 multiples. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = []
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12))
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v)
    }
  }
  const decades = out.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9)
  return decades.length >= 2 ? decades : out.length > 0 ? out : [lo, hi]
}

/** The [min, max] of finite values, padded by `pad` of the span on each side (5 % default; none on log axes). */
export function extent(values: readonly number[], pad = 0.05, log = false): [number, number] | undefined {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0))
  if (finite.length === 0) return undefined
  let lo = Math.min(...finite)
  let hi = Math.max(...finite)
  if (log) return [lo / (hi / lo) ** pad, hi * (hi / lo) ** pad]
  const span = hi - lo
  lo -= span * pad
  hi += span * pad
  return [lo, hi]
}

/** A compact tick label: 4 significant digits, exponent form for tiny or huge magnitudes. */
export function tickLabel(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a < 1e-3 || a >= 1e5) return v.toExponential(0).replace('e+', 'e')
  return String(Number.parseFloat(v.toPrecision(4)))
}
