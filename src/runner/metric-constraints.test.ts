import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isFeasible } from '../core/analysis/pareto.ts'
import { rankOrder } from '../core/samplers/cmaes/cma-replay.ts'
import { constrainedDominates } from '../core/samplers/nsga2/non-dominated-sort.ts'
import { violation } from '../core/samplers/tpe/split.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { evaluateConstraints } from './metric-constraints.ts'

test('constraint values: how far past the bound, <= 0 when feasible; unreported or non-finite metrics are null', () => {
  const cs = [
    { metric: 'mem', max: 40 },
    { metric: 'tps', min: 2000 },
    { metric: 'len', min: 1, max: 3 },
  ]
  assert.deepEqual(evaluateConstraints(cs, { mem: 38, tps: '2500', len: 2 }), { values: [-2, -500, -1], problems: [] })
  const broken = evaluateConstraints(cs, { mem: 45.5, tps: 1500, len: 4 })
  assert.deepEqual(broken.values, [5.5, 500, 1])
  assert.deepEqual(broken.problems, ['mem 45.5 > max 40', 'tps 1500 < min 2000', 'len 4 > max 3'])
  const missing = evaluateConstraints(cs, { mem: 'NaN', len: 0 })
  assert.deepEqual(missing.values, [null, null, 1])
  assert.deepEqual(missing.problems, [
    'mem is NaN',
    'tps was not reported (the trial reported mem, len)',
    'len 0 < min 1',
  ])
})

test('a null constraint value (unchecked) is broken for the best-trial rule, TPE, NSGA-II and CMA-ES alike', () => {
  let n = 0
  const trial = (constraints: (number | null)[]) =>
    ({ number: n++, state: 'COMPLETE', values: [1, 1], systemAttrs: { constraints } }) as unknown as FrozenTrial
  const unchecked = trial([null])
  const slightlyOver = trial([0.01])
  assert.equal(constrainedDominates(unchecked, slightlyOver, ['minimize', 'minimize']), false)
  assert.equal(constrainedDominates(slightlyOver, unchecked, ['minimize', 'minimize']), true)
  assert.deepEqual(
    rankOrder([unchecked, slightlyOver], 'minimize').map((t) => t.number),
    [slightlyOver.number, unchecked.number],
  )
  assert.equal(isFeasible(trial([-1, null])), false)
  assert.equal(violation(trial([-1, null])), Number.POSITIVE_INFINITY)
  assert.equal(violation(trial([-1, 0.5, 2])), 2.5)
  assert.equal(isFeasible(trial([-1, 0])), true)
  assert.equal(violation(trial([-1, 0])), 0)
})
