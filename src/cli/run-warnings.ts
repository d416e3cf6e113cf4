import type { StudyConfig } from '../config/index.ts'

/**
 * The warning for a study with several objectives and a scheduler: schedulers judge intermediate values of the first
 * objective only (core/schedulers/history.ts), so a cheap-but-slower-starting trial is cut before it can reach the
 * Pareto front. Said at every start, since the study file decides it. Undefined when it does not apply.
 */
export function schedulerJudgesFirstObjectiveOnly(config: StudyConfig): string | undefined {
  if (config.scheduler.type === 'none' || config.objectives.length < 2) return undefined
  const [first, ...others] = config.objectives.map((m) => m.name)
  return `scheduler ${config.scheduler.type} judges trials by ${first} only (the first objective): a trial behind on it early but better on ${others.join(', ')} is stopped before it can reach the Pareto front. For a Pareto search use scheduler: none; to stop on another objective, list it first.`
}
