import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { incumbent, incumbentTrajectory, regret, regretAtSteps, regretTrajectory, stepsToRegret } from './regret.ts'
import { median, medianIqr, quantile } from './stats.ts'

const trials = [
  { observed: 3, clean: 3.1 },
  { observed: Number.NaN, clean: 0 },
  { observed: 1, clean: 1.5 },
  { observed: 1, clean: 0.9 }, // tie: the earlier trial stays the incumbent
  { observed: 2, clean: 0.1 },
]

describe('regret', () => {
  it('picks the lowest observed among the first k, ties to the earlier, NaN never', () => {
    assert.equal(incumbent(trials)?.index, 2)
    assert.equal(incumbent(trials, 2)?.index, 0)
    assert.equal(incumbent([]), undefined)
    assert.equal(incumbent([{ observed: Number.NaN, clean: 0 }]), undefined)
    assert.equal(regret(trials, 0.5), 1.0)
    assert.equal(regret(trials, 0.5, 1), 3.1 - 0.5)
    assert.equal(regret([], 0), Number.POSITIVE_INFINITY)
  })

  it('tracks the incumbent after every trial', () => {
    assert.deepEqual(incumbentTrajectory(trials), { observed: [3, 3, 1, 1, 1], clean: [3.1, 3.1, 1.5, 1.5, 1.5] })
    assert.deepEqual(regretTrajectory(trials, 0.1), [3, 3, 1.4, 1.4, 1.4])
  })

  it('measures step budgets like the anchor', () => {
    const traj = [
      [5, null, null],
      [100, 1.4, 1.3],
      [250, 1.32, 1.29],
    ] as const
    assert.equal(regretAtSteps(traj, 1.2, 50), Number.POSITIVE_INFINITY)
    assert.ok(Math.abs(regretAtSteps(traj, 1.2, 200) - 0.1) < 1e-12)
    assert.equal(stepsToRegret(traj, 1.2, 0.1), 250)
    assert.equal(stepsToRegret(traj, 1.2, 0.2), 100)
    assert.equal(stepsToRegret(traj, 1.2, 0.01), Number.POSITIVE_INFINITY)
  })
})

describe('stats', () => {
  it('matches numpy percentile / median', () => {
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 2, 3]), 2.5)
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75)
    assert.equal(quantile([1, 2, 3, 4], 0.75), 3.25)
    assert.equal(median([1, Number.POSITIVE_INFINITY]), Number.POSITIVE_INFINITY)
    assert.deepEqual(medianIqr([5]), { median: 5, q1: 5, q3: 5 })
    assert.ok(Number.isNaN(median([])))
  })
})
