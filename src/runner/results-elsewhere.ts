import { isInfeasibleResult } from '../core/analysis/pareto.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import type { RunnerEvent } from './events.ts'

/**
 * The trials other workers of the study complete while this runner runs, so its live progress shows the study's
 * best and baseline rather than only its own trials'. A trial finished before the run, or run here, is not news.
 */
export class ResultsElsewhere {
  readonly #known = new Set<number>()

  constructor(before: readonly FrozenTrial[]) {
    for (const t of before) if (t.state === 'COMPLETE') this.#known.add(t.id)
  }

  /** A trial this runner launched: its result arrives as its own event. */
  mine(id: number): void {
    this.#known.add(id)
  }

  /** The event for trials completed elsewhere since the last call, if any. */
  take(trials: readonly FrozenTrial[]): Extract<RunnerEvent, { type: 'finished-elsewhere' }> | undefined {
    const fresh = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && !this.#known.has(t.id))
    if (fresh.length === 0) return undefined
    for (const t of fresh) this.#known.add(t.id)
    return {
      type: 'finished-elsewhere',
      trials: fresh.map((t) => ({
        number: t.number,
        values: [...(t.values ?? [])],
        baseline: t.systemAttrs.baseline === true,
        ...(isInfeasibleResult(t) ? { infeasible: true } : {}),
      })),
    }
  }
}
