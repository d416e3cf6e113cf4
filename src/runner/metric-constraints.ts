/**
 * Constraints on reported metrics (the study file's `constraints:`): "peak GPU memory at most 40 GB", "at least
 * 2,000 tokens/s". A completed trial that breaks one is infeasible: it is never the best, never on the Pareto
 * front, and the samplers learn to avoid its region. Values follow the library's convention (feasible when <= 0),
 * so a study file and `study.tell(trial, value, { constraints })` feed the samplers the same way.
 *
 * @module
 */
import type { Json } from '../core/json.ts'
import { metricNumber } from './protocol/messages.ts'

/** A bound on one reported metric; at least one of `max` and `min`. */
export interface MetricConstraint {
  readonly metric: string
  readonly max?: number
  readonly min?: number
}

/** A completed trial's constraint values, and what to tell the user about them. */
export interface ConstraintOutcome {
  /** One per constraint: how far the metric is past its bound (<= 0 feasible); null when not reported (or not finite). */
  readonly values: (number | null)[]
  /** Plain words for the broken and the unreported ones ("peak_mem_gb 45 > max 40"); empty when feasible. */
  readonly problems: string[]
}

/**
 * Evaluates the constraints on a trial's final metrics. A metric that was not reported makes the trial
 * infeasible (null value): a constraint Winnow cannot check must not let a trial win.
 */
export function evaluateConstraints(
  constraints: readonly MetricConstraint[],
  metrics: Readonly<Record<string, Json>>,
): ConstraintOutcome {
  const values: (number | null)[] = []
  const problems: string[] = []
  for (const c of constraints) {
    const v = metricNumber(metrics[c.metric])
    // JSON has no NaN or Infinity; neither can be checked against a bound anyway.
    if (v === undefined || !Number.isFinite(v)) {
      values.push(null)
      // A misspelled name would make every trial infeasible: say what the trial did report.
      const seen = Object.keys(metrics).join(', ') || 'nothing'
      problems.push(
        v === undefined ? `${c.metric} was not reported (the trial reported ${seen})` : `${c.metric} is ${v}`,
      )
      continue
    }
    const over = c.max !== undefined ? v - c.max : Number.NEGATIVE_INFINITY
    const under = c.min !== undefined ? c.min - v : Number.NEGATIVE_INFINITY
    const value = Math.max(over, under)
    values.push(value)
    if (over > 0) problems.push(`${c.metric} ${fmt(v)} > max ${fmt(c.max!)}`)
    else if (under > 0) problems.push(`${c.metric} ${fmt(v)} < min ${fmt(c.min!)}`)
  }
  return { values, problems }
}

const fmt = (x: number) => String(Number(x.toPrecision(4)))
