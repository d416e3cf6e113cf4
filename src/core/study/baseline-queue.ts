import type { ParamValues } from '../distributions/distribution.ts'
import { WinnowError } from '../errors.ts'
import type { FrozenTrial } from '../trial/frozen-trial.ts'

/**
 * A study's one baseline, as queued configurations: which stored trial a baseline to enqueue already is, and when a
 * loaded study needs its baseline queued again. Pure functions over the trials; `Study` does the writes.
 */

/** The configuration a trial was queued with, else its parameters. */
const configOf = (t: FrozenTrial) => (t.systemAttrs.fixedParams as ParamValues | undefined) ?? t.params

/**
 * The baseline trial (queued or finished, not FAIL) that already is `params`, so a re-run script does not train it
 * twice; undefined when none exists and it should be queued. Another live baseline is refused: a study has one.
 */
export function existingBaseline(
  study: string,
  trials: readonly FrozenTrial[],
  params: ParamValues,
): FrozenTrial | undefined {
  const live = trials.filter((t) => t.systemAttrs.baseline === true && t.state !== 'FAIL')
  const same = live.find((t) => sameConfiguration(configOf(t), params))
  if (same !== undefined || live.length === 0) return same
  throw new WinnowError(
    'invalid_config',
    `Study "${study}" already has baseline #${live[0].number} (${JSON.stringify(configOf(live[0]))}); a study has one baseline. Enqueue ${JSON.stringify(params)} without { baseline: true } to try it as a configuration.`,
  )
}

/**
 * Whether a loaded study's baseline only ever failed (a broken setup, since fixed: "fix it and run the same script
 * again"): then the baseline is queued again, so the study gets its reference instead of "Baseline #0: FAIL".
 */
export function baselineOnlyFailed(trials: readonly FrozenTrial[]): boolean {
  const baselines = trials.filter((t) => t.systemAttrs.baseline === true)
  return baselines.length > 0 && baselines.every((t) => t.state === 'FAIL')
}

/** Two queued configurations with the same parameters and values. */
function sameConfiguration(a: ParamValues, b: ParamValues): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
}
