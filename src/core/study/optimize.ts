import { SamplerExhaustedError } from '../errors.ts'
import type { Json } from '../json.ts'
import type { FinishedState } from '../trial/trial-state.ts'
import { type Trial, TrialPruned } from './trial.ts'

/** What an objective returns: one value per objective, or one number for a single objective. */
export type ObjectiveResult = number | readonly number[]

/** Options of `Study.optimize`. */
export interface OptimizeOptions {
  /** Number of trials this call runs. */
  readonly trials: number
  /** Trials in flight at once (useful when the objective awaits I/O or a subprocess). @default 1 */
  readonly concurrency?: number
  /** Stop starting new trials after this many milliseconds. */
  readonly timeout?: number
  /** Record an objective's exception as a FAIL trial and go on instead of rethrowing. @default false */
  readonly catchErrors?: boolean
}

/** The ask/tell half of a study that `runOptimizeLoop` drives (`Study` is one). */
export interface AskTellStudy {
  ask(): Promise<Trial>
  tell(
    trial: Trial,
    values?: ObjectiveResult,
    opts?: { readonly state?: FinishedState; readonly systemAttrs?: Readonly<Record<string, Json>> },
  ): Promise<unknown>
}

/**
 * Runs `opts.trials` trials of an in-process objective, `opts.concurrency` at a time: asks a trial, awaits
 * the objective and tells its result. An objective that throws `TrialPruned` ends its trial as PRUNED; any
 * other exception ends it as FAIL and, unless `catchErrors`, stops starting trials and is rethrown once
 * the trials in flight end. Stops starting trials once the sampler is exhausted or `timeout` has passed.
 */
export async function runOptimizeLoop(
  study: AskTellStudy,
  objective: (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>,
  opts: OptimizeOptions,
): Promise<void> {
  const deadline = opts.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.timeout
  let started = 0
  let firstError: unknown
  const worker = async () => {
    while (started < opts.trials && Date.now() < deadline && firstError === undefined) {
      started++
      let trial: Trial
      try {
        trial = await study.ask()
      } catch (e) {
        if (e instanceof SamplerExhaustedError) return
        throw e
      }
      try {
        await study.tell(trial, await objective(trial))
      } catch (e) {
        if (e instanceof TrialPruned) {
          await study.tell(trial, undefined, { state: 'PRUNED', systemAttrs: { pruneReason: e.reason } })
          continue
        }
        await study.tell(trial, undefined, { state: 'FAIL', systemAttrs: { failReason: String(e) } })
        if (!opts.catchErrors) firstError ??= e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker))
  if (firstError !== undefined) throw firstError
}
