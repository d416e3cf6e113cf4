import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { RandomSampler } from '../../src/core/samplers/random-sampler.ts'
import { SuccessiveHalvingScheduler } from '../../src/core/schedulers/successive-halving-scheduler.ts'
import { getProblem } from '../problems/index.ts'
import type { CurveProblem } from '../problems/types.ts'
import { simulateRun } from './simulate.ts'

const problem = getProblem('lora-sft-curves') as CurveProblem

describe('simulateRun', () => {
  test('promotion mode: pause → promote → resume, steps paid once, budget respected', async () => {
    const scheduler = new SuccessiveHalvingScheduler({
      resource: { min: 5, max: 100, reductionFactor: 4 },
      mode: 'promotion',
    })
    const run = await simulateRun(problem, 'asha-promotion', { scheduler, sampler: new RandomSampler() }, 0, 1500)
    assert.equal(run.stepsConsumed, 1500)
    assert.ok(run.nPauses > 0 && run.nComplete > 0, `pauses ${run.nPauses}, complete ${run.nComplete}`)
    assert.equal(run.nPruned, 0)
    // Without re-paying, steps = 5 per trial at rung 0 + 15 more per promotion to 20 + 60 to 80 + 20 to 100.
    const last = run.trajectory[run.trajectory.length - 1]
    assert.equal(last[0], 1500)
    assert.ok(run.nTrials < 1500 / 5 + 1)
  })

  test('stopping mode records a trajectory point per finished trial', async () => {
    const scheduler = new SuccessiveHalvingScheduler({ resource: { min: 5, max: 100, reductionFactor: 4 } })
    const run = await simulateRun(problem, 'asha-stopping', { scheduler, sampler: new RandomSampler() }, 1, 1000)
    assert.equal(run.trajectory.length, run.nComplete + run.nPruned + run.nAbandoned)
    assert.ok(run.nPruned > 0)
  })
})
