/**
 * Objectives Winnow measures itself: a study with `metrics: [{name: eval_loss}, {name: gpu_hours}]` trades quality
 * against cost without the training script timing itself. A value the trial reports under the same name wins.
 * Each is the trial's total over all its attempts (a paused-then-promoted trial, a retry's own attempts).
 */
const MEASURED = {
  wall_seconds: (c: TrialCosts) => c.wallSeconds,
  wall_hours: (c: TrialCosts) => c.wallSeconds / 3600,
  gpu_seconds: (c: TrialCosts) => c.gpuSeconds,
  gpu_hours: (c: TrialCosts) => c.gpuSeconds / 3600,
} as const

/** The time a trial has used, summed over its attempts. */
export interface TrialCosts {
  readonly wallSeconds: number
  readonly gpuSeconds: number
}

/** The names of the measured metrics, for docs and messages. */
export const MEASURED_METRIC_NAMES = Object.keys(MEASURED) as readonly string[]

/** The measured value of `name`, or undefined when it is not one of them. */
export function measuredMetric(name: string, costs: TrialCosts): number | undefined {
  return Object.hasOwn(MEASURED, name) ? MEASURED[name as keyof typeof MEASURED](costs) : undefined
}
