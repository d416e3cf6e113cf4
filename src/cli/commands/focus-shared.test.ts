import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FocusResult } from '../../core/analysis/focus.ts'
import { fixtureContext, fixtureTrial } from '../../core/schedulers/scheduler-fixtures.ts'
import { type FocusFlags, printRanges } from './focus-shared.ts'

test('a kept parameter narrowed to one value is said to be fixed by the top trials', (t) => {
  const best = fixtureTrial({ number: 3, state: 'COMPLETE', value: 1, params: { sched: 'cosine', lr: 0.01 } })
  const result: FocusResult = {
    space: {},
    fixed: {},
    narrowed: [
      {
        param: 'sched',
        from: { kind: 'categorical', choices: ['cosine', 'linear'] },
        to: { kind: 'categorical', choices: ['cosine'] },
      },
      {
        param: 'lr',
        from: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
        to: { kind: 'float', low: 1e-3, high: 1e-1, log: true },
      },
    ],
    best,
    top: [best],
  }
  const lines: string[] = []
  t.mock.method(console, 'log', (s: string) => lines.push(s))
  const flags = { method: 'fanova', quantile: 0.2 } as FocusFlags
  printRanges(fixtureContext([]).study, result, [{ param: 'sched', importance: 0.5 }], flags)
  const out = lines.join('\n')
  assert.match(out, /sched .*categorical \["cosine"\] \(the top trials all used it: fixed\)/)
  assert.doesNotMatch(out, /lr .*fixed/)
})
