import type { FrozenTrial } from '../trial/frozen-trial.ts'

/** A trial and its retries (`systemAttrs.retryOf`), first to last, and how the last one ended. */
export interface RetryChain {
  readonly root: number
  readonly last: number
  /** The last one failed too: the configuration never trained past its crashes. */
  readonly failed: boolean
  /** The last one has not ended (queued or running). */
  readonly unfinished: boolean
}

/** The retry chain of every trial that has retries or is one, by trial number. */
export function retryChains(trials: readonly FrozenTrial[]): Map<number, RetryChain> {
  const byNumber = new Map(trials.map((t) => [t.number, t]))
  const next = new Map<number, number>()
  for (const t of trials) if (typeof t.systemAttrs.retryOf === 'number') next.set(t.systemAttrs.retryOf, t.number)
  const chains = new Map<number, RetryChain>()
  for (const t of trials) {
    if (typeof t.systemAttrs.retryOf === 'number' || !next.has(t.number)) continue
    const members = [t.number]
    for (let n = next.get(t.number); n !== undefined && !members.includes(n); n = next.get(n)) members.push(n)
    const last = byNumber.get(members[members.length - 1])
    const chain: RetryChain = {
      root: t.number,
      last: last?.number ?? t.number,
      failed: last?.state === 'FAIL',
      unfinished: last?.state === 'WAITING' || last?.state === 'RUNNING',
    }
    for (const m of members) chains.set(m, chain)
  }
  return chains
}
