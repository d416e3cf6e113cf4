import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseStudyFile } from '../config/index.ts'
import { fixtureContext, fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import { buildStrategies } from './strategies.ts'

const study = (scheduler: string) =>
  parseStudyFile(
    `name: s\nmetric: {name: loss}\ncommand: [x]\nspace: {x: {type: float, low: 0, high: 1}}\nscheduler: ${scheduler}\n`,
    'study.yaml',
  )

test('patient wraps the median rule unless wraps: none, which prunes on getting worse alone', () => {
  // One trial, worse for its last 3 reports than before (Optuna's rule: the best of the last patience + 1 reports
  // trails the best before by more than min_delta); no other trial to compare with, so the median would not prune.
  const flat = fixtureTrial({ number: 0, curve: [1, 1, 2, 2, 2] })
  const decide = (scheduler: string) =>
    buildStrategies(study(scheduler), 1).scheduler.decide(fixtureContext([flat]), flat).action
  assert.equal(decide('{type: patient, patience: 2}'), 'continue')
  assert.equal(decide('{type: patient, patience: 2, wraps: none}'), 'prune')
})
