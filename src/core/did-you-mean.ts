/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two neighbouring characters
 * each cost 1 (the optimal-string-alignment distance). Why swaps: they are the commonest typo (`lgo` for `log`),
 * and plain Levenshtein counts them as 2, tying `lgo` with `low`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur[j] = Math.min(rows[i - 1][j] + 1, cur[j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cur[j] = Math.min(cur[j], rows[i - 2][j - 2] + 1)
    }
    rows.push(cur)
  }
  return rows[a.length][b.length]
}

/**
 * Returns the candidate closest to `input`, or undefined when none is close enough to be a plausible typo.
 * Case and `-`/`_` differences are ignored, so `gpus-per-trial` suggests `gpus_per_trial`.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replaceAll('-', '_')
  const target = norm(input)
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const d = editDistance(target, norm(c))
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  // A third of the length (at least 2 edits) catches real typos without suggesting unrelated words.
  const limit = Math.max(2, Math.floor(input.length / 3))
  return bestDistance <= limit ? best : undefined
}

/** A sentence suggesting the closest candidate, or listing them all when none is close. */
export function suggestion(input: string, candidates: readonly string[], noun = 'one of'): string {
  const best = didYouMean(input, candidates)
  if (best !== undefined) return `Did you mean "${best}"?`
  return `Use ${noun} ${candidates.map((c) => `"${c}"`).join(', ')}.`
}
