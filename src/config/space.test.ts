import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Distribution, ParamValue } from '../core/distributions/distribution.ts'
import type { Trial } from '../core/study/trial.ts'
import { parseStudyFile } from './load-study-file.ts'
import { activeParams, applySpace, dependencyOrder, type SuggestingTrial, spaceDistributions } from './space.ts'

const { space } = parseStudyFile(
  `name: cond
metric: {name: loss}
command: [x]
space:
  momentum: {type: categorical, choices: [0.0, 0.5, 0.9], when: {optimizer: sgd}}
  optimizer: {type: categorical, choices: [adamw, sgd, lion]}
  nesterov: {type: categorical, choices: [true, false], when: {optimizer: sgd, momentum: [0.0, 0.9]}}
  beta2: {type: float, low: 0.9, high: 0.999, log: true, when: {optimizer: [adamw, lion]}}
  layers: {type: int, low: 2, high: 8, step: 2}
`,
  'cond.yaml',
)

/** A trial that answers from a script and records the order of suggestions. */
function scriptedTrial(answers: Record<string, ParamValue>) {
  const calls: [string, Distribution][] = []
  const trial: SuggestingTrial = {
    suggest(name, d) {
      calls.push([name, d])
      return answers[name]
    },
  }
  return { trial, calls }
}

// Compile-time check: the core Trial can be handed to applySpace as it is.
const _trialFits = (t: Trial): SuggestingTrial => t

describe('space', () => {
  test('dependencyOrder puts parents first and keeps declaration order otherwise', () => {
    assert.deepEqual(dependencyOrder(space), ['optimizer', 'momentum', 'nesterov', 'beta2', 'layers'])
    assert.equal(typeof _trialFits, 'function')
  })

  test('applySpace skips the branch whose condition does not hold', () => {
    const { trial, calls } = scriptedTrial({ optimizer: 'adamw', beta2: 0.95, layers: 4 })
    const values = applySpace(trial, space)
    assert.deepEqual(values, { optimizer: 'adamw', beta2: 0.95, layers: 4 })
    assert.deepEqual(
      calls.map(([n]) => n),
      ['optimizer', 'beta2', 'layers'],
    )
    assert.deepEqual(calls[1][1], { kind: 'float', low: 0.9, high: 0.999, log: true })
    assert.deepEqual(calls[2][1], { kind: 'int', low: 2, high: 8, log: false, step: 2 })
  })

  test('applySpace follows a chain of conditions', () => {
    const { trial, calls } = scriptedTrial({ optimizer: 'sgd', momentum: 0.9, nesterov: true, layers: 2 })
    assert.deepEqual(applySpace(trial, space), { optimizer: 'sgd', momentum: 0.9, nesterov: true, layers: 2 })
    assert.deepEqual(
      calls.map(([n]) => n),
      ['optimizer', 'momentum', 'nesterov', 'layers'],
    )
    const off = scriptedTrial({ optimizer: 'sgd', momentum: 0.5, layers: 2 })
    assert.deepEqual(Object.keys(applySpace(off.trial, space)), ['optimizer', 'momentum', 'layers'])
  })

  test('activeParams ignores values of inactive parameters', () => {
    assert.deepEqual(activeParams(space, { optimizer: 'lion' }), ['optimizer', 'beta2', 'layers'])
    // momentum is set but inactive (optimizer is adamw), so it cannot switch nesterov on.
    assert.deepEqual(activeParams(space, { optimizer: 'adamw', momentum: 0.9 }), ['optimizer', 'beta2', 'layers'])
    assert.deepEqual(activeParams(space, {}), ['optimizer', 'layers'])
  })

  test('spaceDistributions converts every parameter, conditional ones included', () => {
    const d = spaceDistributions(space)
    assert.deepEqual(Object.keys(d), ['momentum', 'optimizer', 'nesterov', 'beta2', 'layers'])
    assert.deepEqual(d.nesterov, { kind: 'categorical', choices: [true, false] })
    assert.deepEqual(d.momentum, { kind: 'categorical', choices: [0, 0.5, 0.9] })
  })
})
