/** Edit distance between two strings (insertions, deletions, substitutions each cost 1). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    }
    prev = cur
  }
  return prev[b.length]
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
    const d = levenshtein(target, norm(c))
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
