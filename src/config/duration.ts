const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 }

/**
 * Parses a duration such as `8h`, `30m`, `90s`, `1h30m`, `1.5h`, `2d` or a plain number of seconds into seconds.
 * Returns undefined when the text is not a duration; callers turn that into a located error.
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text))
  if (!/^(\d+(\.\d+)?[dhms])+$/.test(text)) return undefined
  let total = 0
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]]
  return total > 0 ? total : undefined
}

/** The hint every bad duration gets. */
export const DURATION_HINT = 'Write it like 8h, 30m, 90s, 1h30m or a number of seconds.'
