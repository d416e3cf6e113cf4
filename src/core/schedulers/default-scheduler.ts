import { checkOptionNames } from '../option-names.ts'
import type { ResourceKind } from './resource.ts'
import { checkNumber } from './scheduler-options.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

/** The resource `defaultScheduler` needs: full fidelity, and optionally the first rung. */
export interface DefaultSchedulerResource {
  /** @default 'steps' */
  readonly kind?: ResourceKind
  /** Full fidelity: what a trial that is never stopped trains to. */
  readonly max: number
  /** The first rung. @default max / DEFAULT_FIRST_RUNG_DIVISOR (5 % of full fidelity) */
  readonly min?: number
}

/** The first rung is max / 20 (5 % of full fidelity) unless the study names one: Optuna's anchor setting (5 of 100). */
export const DEFAULT_FIRST_RUNG_DIVISOR = 20
/** η of the default: keep the top quarter at each rung (rungs at 5 %, 20 %, 80 % of full fidelity). */
export const DEFAULT_REDUCTION_FACTOR = 4
/** Reports averaged into a rung value (see `SuccessiveHalvingSchedulerOptions.smoothing`). */
export const DEFAULT_SMOOTHING = 5
/** Residual standard deviations a trial may trail a rung's cut by (see `SuccessiveHalvingSchedulerOptions.confidence`). */
export const DEFAULT_CONFIDENCE = 0.25

/**
 * Builds the scheduler `scheduler: auto` runs: asynchronous successive halving in stopping mode (no pausing, so
 * it works with any training script and any number of workers), with
 *
 * - the first rung at `min`, or max / 20 when the study gives none;
 * - η = 4 (rungs at min·4^k below max: 5 %, 20 %, 80 % of full fidelity by default);
 * - rung values averaged over the last 5 reports (`smoothing`), so that evaluation noise of a single report
 *   does not decide which trial survives. With fewer than ~20 reports per full run, pass `smoothing: 1`.
 *
 * - a trial below a rung's cut survives while it trails the cut by less than a quarter of the rung's scatter
 *   (`confidence: 0.25`, see `RungLadder.noiseMargin`): once the sampler has concentrated on a good region, the
 *   trials at a rung differ by less than the rung can resolve, and plain ASHA would cut good ones at random.
 *   On `lora-sft-curves` over 200 seeds this reached regret ≤ 0.01 in 82 instead of 65 runs and lowered the final
 *   regret (0.0154 / 0.0135 vs 0.0176 / 0.0145 on seeds 0–99 / 100–199) for about the same steps to ≤ 0.02
 *   (3,088 / 3,305 vs 3,048 / 3,003); z = 1 or 2 gave up too much of that speed.
 *
 * It pairs with the default sampler: `sampler: auto` runs TPE from the first trial when a scheduler stops trials
 * early (`AutoSampler`'s `multiFidelity`, set by `winnow tune`), since TPE learns from pruned trials and a GP does
 * not. On the
 * public `lora-sft-curves` benchmark (bench/schedulers, `--variants auto`) smoothing is what made the difference
 * over Optuna's successive-halving rule; wider TPE variants (univariate, a smaller good set, a larger bandwidth, more
 * startup trials) did not hold up on a second seed set.
 *
 * @example
 * const scheduler = defaultScheduler({ kind: 'steps', max: 2000 }) // rungs 100, 400, 1600
 */
export function defaultScheduler(
  resource: DefaultSchedulerResource,
  opts: { readonly smoothing?: number; readonly confidence?: number } = {},
): SuccessiveHalvingScheduler {
  checkOptionNames('defaultScheduler', opts, { smoothing: true, confidence: true })
  checkOptionNames('defaultScheduler resource', resource, { kind: true, min: true, max: true })
  const max = checkNumber('defaultScheduler', 'resource.max', resource.max, { min: 0, open: true })
  const min = resource.min ?? max / DEFAULT_FIRST_RUNG_DIVISOR
  return new SuccessiveHalvingScheduler(
    {
      resource: { kind: resource.kind ?? 'steps', min, max, reductionFactor: DEFAULT_REDUCTION_FACTOR },
      mode: 'stopping',
      smoothing: opts.smoothing ?? DEFAULT_SMOOTHING,
      confidence: opts.confidence ?? DEFAULT_CONFIDENCE,
    },
    'defaultScheduler',
  )
}
