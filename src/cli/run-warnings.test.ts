import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseStudyFile } from '../config/index.ts'
import { schedulerJudgesFirstObjectiveOnly } from './run-warnings.ts'

const file = (metrics: string, scheduler: string) =>
  parseStudyFile(
    `name: s\n${metrics}\ncommand: [x]\nspace: {x: {type: float, low: 0, high: 1}}\nscheduler: ${scheduler}\n`,
    'study.yaml',
  )
const two = 'metrics: [{name: eval_loss, direction: minimize}, {name: gpu_hours, direction: minimize}]'
const asha = '{type: asha, resource: {kind: steps, min: 10, max: 90}}'

test('a scheduler on a multi-objective study is said to judge the first objective only', () => {
  assert.match(
    schedulerJudgesFirstObjectiveOnly(file(two, asha)) ?? '',
    /scheduler asha judges trials by eval_loss only \(the first objective\): .* better on gpu_hours .* use scheduler: none/,
  )
  assert.equal(schedulerJudgesFirstObjectiveOnly(file(two, 'none')), undefined)
  assert.equal(schedulerJudgesFirstObjectiveOnly(file('metric: {name: loss}', asha)), undefined)
})
