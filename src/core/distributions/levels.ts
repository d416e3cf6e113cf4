import { type Distribution, snapToGrid } from './distribution.ts'

/**
 * `levels` evenly spaced values of a numeric distribution (in log space for log ones; the midpoint for one level),
 * snapped onto its grid, without duplicates. The grid and the one-at-a-time sweep both lay out levels this way.
 *
 * Values are rounded to 12 significant digits: exp(log(x)) and low + k·step/n leave noise such as
 * 0.0010000000000000002, which then fails to match a baseline of 1e-3 (the grid ran the baseline twice) and shows
 * up in study files `winnow focus` writes.
 */
export function evenlySpacedValues(d: Exclude<Distribution, { kind: 'categorical' }>, levels: number): number[] {
  const lo = d.log ? Math.log(d.low) : d.low
  const hi = d.log ? Math.log(d.high) : d.high
  const out: number[] = []
  for (let i = 0; i < levels; i++) {
    const x = levels === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (levels - 1)
    const v = snapToGrid(d, tidy(d.log ? Math.exp(x) : x))
    if (!out.includes(v)) out.push(v)
  }
  return out
}

/** x to 12 significant digits (0 stays 0); see `evenlySpacedValues`. */
export function tidy(x: number): number {
  return x === 0 ? 0 : Number.parseFloat(x.toPrecision(12))
}
