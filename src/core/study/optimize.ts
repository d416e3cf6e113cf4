import { SamplerExhaustedError, SearchSpaceError, WinnowError } from '../errors.ts'
import type { Json } from '../json.ts'
import { checkOptionNames, describeValue, type OptionNames } from '../option-names.ts'
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
  /**
   * Stop starting new trials after this many seconds (Optuna's `timeout` unit); trials in flight still finish.
   * Fractions are allowed (`0.5`).
   */
  readonly timeoutSeconds?: number
  /**
   * The same limit in **milliseconds**, kept for existing callers.
   * @deprecated Use `timeoutSeconds`. Unlike Optuna's `timeout`, this one is in milliseconds: `timeout: 3600` (meant
   * as an hour) stops after 3.6 s, usually after one trial.
   */
  readonly timeout?: number
  /** Record an objective's exception as a FAIL trial and go on instead of rethrowing. @default false */
  readonly catchErrors?: boolean
  /**
   * The constraint values of a finished trial (feasible when all are <= 0), called after the objective returns,
   * e.g. `(t) => [peakMemGb.get(t.number)! - 40]` with a map the objective filled. @default no constraints
   */
  readonly constraints?: (trial: Trial) => readonly number[]
}

const OPTIMIZE_OPTION_NAMES = {
  trials: true,
  concurrency: true,
  timeoutSeconds: true,
  timeout: true,
  catchErrors: true,
  constraints: true,
} satisfies OptionNames<OptimizeOptions>

/** The ask/tell half of a study that `runOptimizeLoop` drives (`Study` is one). */
export interface AskTellStudy {
  ask(): Promise<Trial>
  tell(
    trial: Trial,
    values?: ObjectiveResult,
    opts?: {
      readonly state?: FinishedState
      readonly systemAttrs?: Readonly<Record<string, Json>>
      readonly constraints?: readonly number[]
    },
  ): Promise<unknown>
}

/**
 * Runs `opts.trials` trials of an in-process objective, `opts.concurrency` at a time: asks a trial, awaits
 * the objective and tells its result. An objective that throws `TrialPruned` ends its trial as PRUNED; any
 * other exception ends it as FAIL and, unless `catchErrors`, stops starting trials and is rethrown once
 * the trials in flight end. Stops starting trials once the sampler is exhausted or `timeoutSeconds` has passed.
 */
export async function runOptimizeLoop(
  study: AskTellStudy,
  objective: (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>,
  opts: OptimizeOptions,
): Promise<void> {
  checkOptimizeOptions(opts)
  const limitMs = opts.timeoutSeconds !== undefined ? opts.timeoutSeconds * 1000 : opts.timeout
  const deadline = limitMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + limitMs
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
        const result = await objective(trial)
        const unused = trial.unusedFixedParams()
        if (unused.length > 0)
          throw new SearchSpaceError(
            `Trial #${trial.number} was enqueued with ${unused.map((n) => `"${n}"`).join(', ')}, which the objective never suggested (it suggested ${Object.keys(trial.suggested).join(', ') || 'nothing'}). Fix the name in enqueue(), or drop a conditional parameter that is inactive there.`,
          )
        await study.tell(trial, result, opts.constraints ? { constraints: opts.constraints(trial) } : {})
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

/**
 * `trials` a whole number >= 0 (or Infinity with a time limit), `concurrency` a whole number >= 1, one time limit:
 * `timeoutSeconds` or the older `timeout` (ms), >= 0.
 */
function checkOptimizeOptions(opts: OptimizeOptions): void {
  if (typeof opts !== 'object' || opts === null)
    throw new WinnowError(
      'invalid_config',
      `optimize() needs its options, e.g. optimize(objective, { trials: 50 }), but got ${describeValue(opts)}.`,
    )
  checkOptionNames('optimize()', opts, OPTIMIZE_OPTION_NAMES)
  const bad = (what: string, value: unknown, fix: string) =>
    new WinnowError('invalid_config', `optimize(): ${what} must be ${fix}, but got ${describeValue(value)}.`)
  const t = opts.trials
  if (typeof t !== 'number' || Number.isNaN(t) || t < 0 || (Number.isFinite(t) && !Number.isInteger(t)))
    throw bad('trials', t, 'a whole number >= 0 (e.g. 50)')
  if (t === Number.POSITIVE_INFINITY && opts.timeout === undefined && opts.timeoutSeconds === undefined)
    throw bad('trials', t, 'finite unless timeoutSeconds is given')
  const c = opts.concurrency
  if (c !== undefined && (typeof c !== 'number' || !Number.isInteger(c) || c < 1))
    throw bad('concurrency', c, 'a whole number >= 1')
  if (opts.timeout !== undefined && opts.timeoutSeconds !== undefined)
    throw new WinnowError(
      'invalid_config',
      `optimize(): give one time limit, but got timeoutSeconds: ${opts.timeoutSeconds} and timeout: ${opts.timeout} (milliseconds). Keep timeoutSeconds.`,
    )
  const isDuration = (v: unknown) => typeof v === 'number' && !Number.isNaN(v) && v >= 0
  if (opts.timeoutSeconds !== undefined && !isDuration(opts.timeoutSeconds))
    throw bad('timeoutSeconds', opts.timeoutSeconds, 'seconds >= 0 (e.g. 3600 for an hour)')
  if (opts.timeout !== undefined && !isDuration(opts.timeout))
    throw bad('timeout', opts.timeout, 'milliseconds >= 0; timeoutSeconds takes seconds')
}
