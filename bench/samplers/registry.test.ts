import assert from 'node:assert/strict'
import { test } from 'node:test'
import { getProblem } from '../problems/index.ts'
import { createSampler, parseSamplerSpec, samplerNames } from './registry.ts'

test('every registered sampler builds for a run, and an option it does not have is refused', () => {
  const problem = getProblem('branin')
  assert.deepEqual(samplerNames().sort(), [
    'auto',
    'cmaes',
    'gp',
    'nsga2',
    'qmc',
    'random',
    'tpe',
    'tpe_optuna',
    'tpe_optuna_mv',
  ])
  for (const name of samplerNames()) {
    const sampler = createSampler(parseSamplerSpec(name), { seed: 7, problem, budget: 10 })
    assert.equal(typeof sampler.sampleRelative, 'function', name)
  }
  assert.throws(
    () => createSampler(parseSamplerSpec('gp(nCandiates=64)'), { seed: 7, problem, budget: 10 }),
    /GpSampler has no option `nCandiates`\. Did you mean `nCandidates`\?/,
  )
})
