import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureContext, fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import { trialRecords, trialsToCsv, trialsToJson } from './export.ts'

const study = fixtureContext([]).study

test('a trial run in several attempts: attempts counted, wall time summed, duration the last attempt', () => {
  const promoted = {
    ...fixtureTrial({
      number: 0,
      state: 'COMPLETE',
      curve: [
        [10, 2],
        [40, 1.5],
      ],
      systemAttrs: { attempts: 2, wallSeconds: 30 },
      params: { lr: 0.01, sched: 'cosine' },
    }),
    startedAt: Date.UTC(2026, 0, 1, 0, 0, 0),
    finishedAt: Date.UTC(2026, 0, 1, 0, 0, 20),
  }
  const waiting = { ...fixtureTrial({ number: 1, state: 'WAITING', params: { lr: 0.1 } }), startedAt: null }
  const { columns, rows } = trialRecords(study, [promoted, waiting])
  // The documented order (README "Command line"), spelled once as the user reads it.
  assert.equal(
    columns.slice(0, 12).join(','),
    'number,state,baseline,started_at,finished_at,duration_s,attempts,wall_seconds,gpu_seconds,tokens,steps,reason',
  )
  assert.deepEqual(columns.slice(12), ['value_value', 'param_lr', 'param_sched', 'step_10', 'step_40'])
  assert.equal(rows[0].duration_s, 20)
  assert.equal(rows[0].attempts, 2)
  assert.equal(rows[0].wall_seconds, 30)
  assert.equal(rows[0].steps, 40)
  assert.equal(rows[1].attempts, 0)
  assert.equal(rows[1].param_sched, null)
})

test('CSV quotes cells with commas, quotes and newlines (RFC 4180)', () => {
  const t = fixtureTrial({ number: 0, state: 'COMPLETE', value: 1, params: { prompt: 'say "hi", then\nstop' } })
  const csv = trialsToCsv(study, [t])
  assert.match(csv, /,"say ""hi"", then\nstop"/)
})

test('the other final metrics get sorted metric_ columns after the values, and reason says why a trial ended', () => {
  const done = fixtureTrial({
    number: 0,
    state: 'COMPLETE',
    value: 0.5,
    systemAttrs: { metrics: { value: 0.5, train_loss: 0.7, accuracy: 0.81 } },
  })
  const pruned = fixtureTrial({
    number: 1,
    state: 'PRUNED',
    systemAttrs: { metrics: { gpu_hours: 2 }, pruneReason: 'worse than the median at step 10' },
  })
  const failed = fixtureTrial({ number: 2, state: 'FAIL', systemAttrs: { failReason: 'exit code 1: CUDA error' } })
  const { columns, rows } = trialRecords(study, [done, pruned, failed])
  assert.deepEqual(columns.slice(11), [
    'reason',
    'value_value',
    'metric_accuracy',
    'metric_gpu_hours',
    'metric_train_loss',
  ])
  assert.deepEqual(
    rows.map((r) => [r.metric_accuracy, r.metric_gpu_hours, r.metric_train_loss, r.reason]),
    [
      [0.81, null, 0.7, null],
      [null, 2, null, 'worse than the median at step 10'],
      [null, null, null, 'exit code 1: CUDA error'],
    ],
  )
  const json = JSON.parse(trialsToJson(study, [done, pruned]))
  assert.deepEqual(json.trials[0].metrics, { value: 0.5, train_loss: 0.7, accuracy: 0.81 })
  assert.equal(json.trials[1].reason, 'worse than the median at step 10')
  assert.match(trialsToCsv(study, [failed]).split('\n')[1], /,exit code 1: CUDA error,/)
})
