import { WinnowError } from '../../core/errors.ts'
import type { Metrics } from './messages.ts'

/**
 * Reads metrics from the log lines of an unmodified script with a user regex whose named groups are metric
 * names (`val loss (?<eval_loss>[0-9.]+)`), and the step from a second regex with a `step` group
 * (`step (?<step>\d+)`). The latest step seen on any line is used; without a step regex reports are counted
 * (1, 2, 3, …).
 */
export class StdoutMetricParser {
  private readonly metricRe: RegExp
  private readonly stepRe: RegExp | undefined
  private lastStep: number | undefined
  private count = 0

  constructor(metricPattern: string, stepPattern?: string) {
    this.metricRe = compile(metricPattern, 'metricsFrom.stdoutPattern')
    if (!/\(\?<[A-Za-z_]/.test(metricPattern))
      throw new WinnowError(
        'invalid_config',
        `metricsFrom.stdoutPattern ${JSON.stringify(metricPattern)} has no named group; name the value, e.g. "val loss (?<eval_loss>[0-9.]+)".`,
      )
    this.stepRe = stepPattern === undefined ? undefined : compile(stepPattern, 'metricsFrom.stepPattern')
    if (stepPattern !== undefined && !stepPattern.includes('(?<step>'))
      throw new WinnowError(
        'invalid_config',
        `metricsFrom.stepPattern ${JSON.stringify(stepPattern)} has no (?<step>…) group; e.g. "step (?<step>\\d+)".`,
      )
  }

  /** Feeds one line; returns a report when the metric regex matched. */
  line(line: string): { step: number; metrics: Metrics } | undefined {
    if (this.stepRe !== undefined) {
      const s = this.stepRe.exec(line)?.groups?.step
      if (s !== undefined && Number.isFinite(Number(s))) this.lastStep = Number(s)
    }
    const m = this.metricRe.exec(line)
    if (m?.groups === undefined) return undefined
    const metrics: Record<string, number> = {}
    for (const [name, raw] of Object.entries(m.groups)) {
      if (raw === undefined || name === 'step') continue
      const v = raw.trim().toLowerCase() === 'nan' ? Number.NaN : Number(raw)
      if (!Number.isNaN(v) || raw.trim().toLowerCase() === 'nan') metrics[name] = v
    }
    if (Object.keys(metrics).length === 0) return undefined
    this.count++
    const own = m.groups.step
    const step = own !== undefined && Number.isFinite(Number(own)) ? Number(own) : (this.lastStep ?? this.count)
    return { step, metrics }
  }
}

function compile(pattern: string, path: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (e) {
    throw new WinnowError(
      'invalid_config',
      `${path} ${JSON.stringify(pattern)} is not a valid JavaScript regular expression: ${(e as Error).message}.`,
    )
  }
}
