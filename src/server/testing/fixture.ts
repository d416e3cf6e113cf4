// A small real study for the dashboard's tests: baseline, learning curves, pruned and paused trials, a running
// trial, a log file, and hostile strings in the study name, a categorical choice and a prune reason.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Json } from '../../core/json.ts'
import { RandomSampler } from '../../core/samplers/random-sampler.ts'
import type { Storage } from '../../core/storage.ts'
import { Study } from '../../core/study/study.ts'

/** A study name that would run script if it reached the page unescaped. */
export const HOSTILE_NAME = '<script>alert(1)</script>'
/** A categorical value that would inject an element if it reached an attribute or the page unescaped. */
export const HOSTILE_VALUE = '"><img src=x onerror=alert(1)>'

/** What the fixture built, for assertions. */
export interface Fixture {
  readonly complete: number
  readonly pruned: number
  readonly paused: number
  readonly running: number
  /** The trial whose system attributes name `logFile`. */
  readonly loggedTrial: number
  readonly logFile: string
}

/**
 * Creates the hostile-named study in `storage`: a baseline (trial 0), `n` more trials of which some are pruned
 * (with a hostile reason), one paused and one still running; a multi-fidelity resource (steps 2 to 8). Trial 1
 * records a 300-line log file in `dir`.
 */
export async function buildFixtureStudy(storage: Storage, dir: string, n = 8): Promise<Fixture> {
  const study = await Study.create({
    storage,
    name: HOSTILE_NAME,
    metricNames: ['eval_loss'],
    seed: 5,
    sampler: new RandomSampler(),
    systemAttrs: { resource: { kind: 'steps', min: 2, max: 8 }, strategies: 'sampler random' },
  })
  await study.enqueue({ lr: 0.01, style: 'plain' }, { systemAttrs: { baseline: true } })
  const logFile = join(dir, 'trial-logged.log')
  writeFileSync(logFile, `${Array.from({ length: 300 }, (_, i) => `log line ${i} ${HOSTILE_VALUE}`).join('\n')}\n`)
  const out = { complete: 0, pruned: 0, paused: 0, running: 0, loggedTrial: -1, logFile }
  for (let i = 0; i <= n; i++) {
    const trial = await study.ask()
    const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true })
    const style = trial.suggestCategorical('style', ['plain', HOSTILE_VALUE])
    const quality = Math.abs(Math.log10(lr) + 2) + (style === HOSTILE_VALUE ? 0.2 : 0)
    const stopAt = i > 0 && i % 3 === 0 ? 2 : 8
    let value = 0
    for (let step = 1; step <= stopAt; step++) {
      value = 0.5 + quality + Math.exp(-step / 3)
      await trial.report(step, value)
    }
    if (i === n) {
      out.running++ // left RUNNING, as a trial in flight
    } else if (i === n - 1) {
      await storage.setTrialState(trial.id, 'PAUSED', { systemAttrs: { rung: 0 } })
      out.paused++
    } else if (stopAt < 8) {
      await study.tell(trial, undefined, {
        state: 'PRUNED',
        systemAttrs: { pruneReason: `${HOSTILE_VALUE} at step 2` },
      })
      out.pruned++
    } else {
      const logged: Record<string, Json> = i === 1 ? { logFile } : {}
      await study.tell(trial, value, { systemAttrs: { wallSeconds: 3, gpuSeconds: 0, ...logged } })
      if (i === 1) out.loggedTrial = trial.number
      out.complete++
    }
  }
  return out
}

/** Adds `k` complete trials to an existing study through `storage` (as a tuning process would). */
export async function addCompleteTrials(storage: Storage, name: string, k: number): Promise<void> {
  const study = await Study.load({ storage, name })
  for (let i = 0; i < k; i++) {
    const trial = await study.ask()
    const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true })
    trial.suggestCategorical('style', ['plain', HOSTILE_VALUE])
    await study.tell(trial, 0.5 + Math.abs(Math.log10(lr) + 2))
  }
}
