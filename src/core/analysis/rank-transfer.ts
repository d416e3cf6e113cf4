import { kendallTauB, spearman as spearmanRho } from '../math/stats.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/** The plain-words outcome of a rank-transfer check. */
export type RankTransferVerdict = 'reliable' | 'unreliable' | 'not_enough_data'

/**
 * Thresholds of the verdict. With fewer than `minPairs` configurations a correlation says little (at n = 8 a
 * Spearman ρ of 0.7 is just significant at 5 %, one-sided). "Reliable" needs both a strong Spearman ρ (the
 * subset ranks configurations like the full run) and a Kendall τ-b that agrees (most pairs keep their order; τ ≈ 0.5
 * matches ρ ≈ 0.7 for well-behaved data, so a low τ flags rankings held together by a few outliers).
 */
export const RANK_TRANSFER_THRESHOLDS = { minPairs: 8, reliableSpearman: 0.7, reliableKendall: 0.5 } as const

/** How well a low-fidelity ranking predicts the high-fidelity one. */
export interface RankTransfer {
  /** Configurations evaluated at both fidelities. */
  readonly n: number
  /** Spearman's rank correlation (NaN when n < 2 or a side does not vary). */
  readonly spearman: number
  /** Kendall's τ-b (NaN when n < 2 or a side does not vary). */
  readonly kendall: number
  readonly verdict: RankTransferVerdict
  /** One sentence for reports, e.g. "Subset ranking is reliable for this study (n = 24, Spearman 0.86, Kendall 0.71)." */
  readonly message: string
}

/**
 * Compares the rankings of configurations at two fidelities (e.g. rung k vs final, data fraction 0.1 vs 1.0):
 * `low[i]` and `high[i]` are the same configuration's values. Pairs with a non-finite value are dropped.
 */
export function rankTransfer(low: readonly number[], high: readonly number[]): RankTransfer {
  const pairs: [number, number][] = []
  for (let i = 0; i < Math.min(low.length, high.length); i++)
    if (Number.isFinite(low[i]) && Number.isFinite(high[i])) pairs.push([low[i], high[i]])
  const n = pairs.length
  const a = pairs.map((p) => p[0])
  const b = pairs.map((p) => p[1])
  const spearman = n < 2 ? Number.NaN : spearmanRho(a, b)
  const kendall = n < 2 ? Number.NaN : kendallTauB(a, b)
  const stats = `(n = ${n}, Spearman ${fmt(spearman)}, Kendall ${fmt(kendall)})`
  const t = RANK_TRANSFER_THRESHOLDS
  if (n < t.minPairs || Number.isNaN(spearman) || Number.isNaN(kendall))
    return {
      n,
      spearman,
      kendall,
      verdict: 'not_enough_data',
      message: `Not enough data for this study to judge the subset ranking ${stats}; it needs ${t.minPairs} configurations seen at both fidelities, with varying values.`,
    }
  const reliable = spearman >= t.reliableSpearman && kendall >= t.reliableKendall
  return {
    n,
    spearman,
    kendall,
    verdict: reliable ? 'reliable' : 'unreliable',
    message: reliable
      ? `Subset ranking is reliable for this study ${stats}.`
      : `Subset ranking is unreliable for this study ${stats}; judge at a higher fidelity (raise the first rung or the data fraction).`,
  }
}

/** One configuration seen at two fidelities: its trial number and its values there. */
export interface RankPair {
  readonly number: number
  readonly low: number
  readonly high: number
}

/**
 * The trials seen at both fidelities, with their value at each: the first report at or after `lowResource`, and
 * the first at or after `highResource` (the final value of COMPLETE trials when `highResource` is undefined).
 */
export function rankTransferPairs(
  trials: readonly FrozenTrial[],
  lowResource: number,
  highResource?: number,
): RankPair[] {
  const pairs: RankPair[] = []
  for (const t of trials) {
    const lo = firstAtOrAfter(t, lowResource)
    const hi =
      highResource === undefined
        ? t.state === 'COMPLETE'
          ? t.values?.[0]
          : undefined
        : firstAtOrAfter(t, highResource)
    if (lo !== undefined && hi !== undefined) pairs.push({ number: t.number, low: lo, high: hi })
  }
  return pairs
}

/**
 * Rank transfer between two resources of the same trials: each trial's first report at a step >= `lowResource`
 * against its first report at a step >= `highResource`, or, when `highResource` is omitted, its final value
 * (COMPLETE trials only).
 */
export function rankTransferBetween(
  trials: readonly FrozenTrial[],
  lowResource: number,
  highResource?: number,
): RankTransfer {
  const pairs = rankTransferPairs(trials, lowResource, highResource)
  return rankTransfer(
    pairs.map((p) => p.low),
    pairs.map((p) => p.high),
  )
}

/**
 * The first rung judged against the highest fidelity that enough configurations reached (`full` when none did),
 * as `winnow status` and the report state it. Why not always against `full`: under aggressive pruning only a
 * handful of trials finish, while the rung below the end still tells whether cheap evaluations rank like expensive
 * ones. Fidelities are the steps the trials reported beyond `lowResource`.
 */
export function rankTransferToHighest(
  trials: readonly FrozenTrial[],
  lowResource: number,
  full: number,
): { high: number; result: RankTransfer } {
  const levels = [...new Set(trials.flatMap((t) => t.intermediate.map((iv) => iv.step)))]
    .filter((s) => s > lowResource && s <= full)
    .sort((a, b) => b - a)
  for (const high of levels) {
    const result = rankTransferBetween(trials, lowResource, high)
    if (result.verdict !== 'not_enough_data') return { high, result }
  }
  return { high: full, result: rankTransferBetween(trials, lowResource, full) }
}

function firstAtOrAfter(t: FrozenTrial, step: number): number | undefined {
  for (const iv of t.intermediate) if (iv.step >= step) return iv.value
  return undefined
}

function fmt(x: number): string {
  return Number.isNaN(x) ? 'n/a' : x.toFixed(2)
}
