/**
 * One scheduler-benchmark run, measured exactly as the anchor's `run_pruners.py`: a step budget (default 10,000
 * steps = 100 full trainings of 100 steps), a report after every step and a scheduler decision after every report
 * but the last, a pruned trial has consumed the steps it reported, the budget is a hard cap (a trial still
 * running when it is spent is abandoned), and after each trial segment ends the incumbent (best COMPLETE trial by
 * observed final value, earlier on ties) is recorded as `[steps, bestObserved, bestClean]`.
 *
 * The real `Study` ask / report / tell and the real scheduler run on a MemoryStorage. Promotion-mode schedulers
 * get a simulated runner loop, one worker: before each ask the scheduler's promotions are read and the first is
 * applied with the storage's compare-and-set (PAUSED → WAITING with `systemAttrs.target`); `study.ask()` then
 * claims it and the trial resumes from its last reported step (resumed steps are not paid twice). A `pause`
 * decision marks the trial PAUSED, as the runner does.
 */
import { TrialStateError } from '../../src/core/errors.ts'
import type { Sampler } from '../../src/core/samplers/sampler.ts'
import type { Scheduler } from '../../src/core/schedulers/scheduler.ts'
import { Study } from '../../src/core/study/study.ts'
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts'
import type { StepTrajectory } from '../problems/regret.ts'
import type { CurveProblem } from '../problems/types.ts'

/** What one run produced, in the spirit of the anchor's `pruner_run` record. */
export interface SchedulerRun {
  variant: string
  problem: string
  seed: number
  budgetSteps: number
  stepsConsumed: number
  nTrials: number
  nComplete: number
  nPruned: number
  nAbandoned: number
  /** Pause events (promotion mode); a trial paused k times counts k times. */
  nPauses: number
  finalBestObserved: number
  finalBestClean: number
  /** Diagnosis: the best clean value among COMPLETE trials (what a noise-free pick of the incumbent would give). */
  bestCleanCompleted: number
  /** Diagnosis: the best clean value among every configuration sampled (what a perfect scheduler could keep). */
  bestCleanSampled: number
  trajectory: StepTrajectory
  wallS: number
}

/** Runs one (variant, seed) until `budget` steps are consumed. */
export async function simulateRun(
  problem: CurveProblem,
  variant: string,
  make: { scheduler: Scheduler; sampler: Sampler },
  seed: number,
  budget: number,
): Promise<SchedulerRun> {
  const storage = new MemoryStorage()
  const { scheduler, sampler } = make
  const study = await Study.create({ storage, name: 'bench', sampler, scheduler, seed })
  const maxStep = problem.maxStep
  const curves = new Map<number, { at: (step: number) => number; clean: () => number }>()
  const trajectory: [number, number | null, number | null][] = []
  let steps = 0
  let bestObs = Number.POSITIVE_INFINITY
  let bestClean = Number.POSITIVE_INFINITY
  let bestCleanCompleted = Number.POSITIVE_INFINITY
  let bestCleanSampled = Number.POSITIVE_INFINITY
  const counts = { trials: 0, complete: 0, pruned: 0, abandoned: 0, pauses: 0 }
  const start = performance.now()
  while (steps < budget) {
    if (scheduler.promotions !== undefined) {
      const history = await study.trials()
      for (const p of scheduler.promotions({ study: study.info, history })) {
        try {
          await storage.setTrialState(p.trialId, 'WAITING', {
            expectedState: 'PAUSED',
            systemAttrs: { target: p.target },
          })
          break
        } catch (e) {
          if (!(e instanceof TrialStateError)) throw e
        }
      }
    }
    const trial = await study.ask(problem.space)
    const frozen = trial.frozen
    if (frozen.intermediate.length === 0) counts.trials++
    let curve = curves.get(frozen.id)
    if (curve === undefined) {
      // Steps are evaluated when first reported (most trials stop early); the values do not depend on the order.
      const params = trial.suggested
      const obs: number[] = []
      const at = (step: number) => {
        while (obs.length < step) obs.push(problem.evaluateAt(params, seed, obs.length + 1).observed)
        return obs[step - 1]
      }
      curve = { at, clean: () => problem.evaluate(params, seed).clean }
      curves.set(frozen.id, curve)
      bestCleanSampled = Math.min(bestCleanSampled, curve.clean())
    }
    const from = frozen.intermediate.length > 0 ? frozen.intermediate[frozen.intermediate.length - 1].step + 1 : 1
    const attrTarget = frozen.systemAttrs.target
    const target = Math.min(
      maxStep,
      typeof attrTarget === 'number'
        ? attrTarget
        : (scheduler.initialTarget?.({ study: study.info, history: await study.trials() }, frozen) ?? maxStep),
    )
    let outcome: 'complete' | 'pruned' | 'paused' | 'abandoned' = 'abandoned'
    let reason = ''
    for (let step = from; step <= target && steps < budget; step++) {
      steps++
      const decision = await trial.report(step, curve.at(step))
      if (step === maxStep) {
        outcome = 'complete'
        break
      }
      if (decision.action === 'prune') {
        outcome = 'pruned'
        reason = decision.reason
        break
      }
      if (decision.action === 'pause' || step === target) {
        outcome = 'paused'
        break
      }
    }
    if (outcome === 'complete') {
      const obs = curve.at(maxStep)
      await study.tell(trial, obs)
      counts.complete++
      bestCleanCompleted = Math.min(bestCleanCompleted, curve.clean())
      if (obs < bestObs) {
        bestObs = obs
        bestClean = curve.clean()
      }
    } else if (outcome === 'pruned') {
      await study.tell(trial, undefined, { state: 'PRUNED', systemAttrs: { pruneReason: reason } })
      counts.pruned++
    } else if (outcome === 'paused') {
      await storage.setTrialState(trial.id, 'PAUSED')
      counts.pauses++
    } else {
      await study.tell(trial, undefined, { state: 'FAIL', systemAttrs: { failReason: 'step budget exhausted' } })
      counts.abandoned++
    }
    trajectory.push([
      steps,
      Number.isFinite(bestObs) ? r7(bestObs) : null,
      Number.isFinite(bestClean) ? r7(bestClean) : null,
    ])
  }
  return {
    variant,
    problem: problem.name,
    seed,
    budgetSteps: budget,
    stepsConsumed: steps,
    nTrials: counts.trials,
    nComplete: counts.complete,
    nPruned: counts.pruned,
    nAbandoned: counts.abandoned,
    nPauses: counts.pauses,
    finalBestObserved: bestObs,
    finalBestClean: bestClean,
    bestCleanCompleted,
    bestCleanSampled,
    trajectory,
    wallS: (performance.now() - start) / 1000,
  }
}

const r7 = (x: number) => Number(x.toPrecision(7))
