import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FocusResult } from '../../core/analysis/focus.ts'
import { fixtureContext, fixtureTrial } from '../../core/schedulers/scheduler-fixtures.ts'
import { type FocusFlags, focusOf, printRanges, sameAsBest } from './focus-shared.ts'

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
    start: best.params,
  }
  const lines: string[] = []
  t.mock.method(console, 'log', (s: string) => lines.push(s))
  const flags = { method: 'fanova', quantile: 0.2 } as FocusFlags
  printRanges(fixtureContext([]).study, result, [{ param: 'sched', importance: 0.5 }], flags)
  const out = lines.join('\n')
  assert.match(out, /sched .*categorical \["cosine"\] \(the top trials all used it: fixed\)/)
  assert.doesNotMatch(out, /lr .*fixed/)
})

test('focus after a one-at-a-time sweep fixes each parameter at its best level in its own sweep (ties: the baseline)', () => {
  // Baseline a=1, b=x, c=1 (value 1); a's sweep finds 2 best, b's finds y, c's levels all tie with the baseline.
  const rows: [Record<string, number | string>, number][] = [
    [{ a: 1, b: 'x', c: 1 }, 1],
    [{ a: 2, b: 'x', c: 1 }, 0.9],
    [{ a: 3, b: 'x', c: 1 }, 1.1],
    [{ a: 4, b: 'x', c: 1 }, 1.2],
    [{ a: 5, b: 'x', c: 1 }, 1.3],
    [{ a: 1, b: 'y', c: 1 }, 0.95],
    [{ a: 1, b: 'z', c: 1 }, 1.2],
    [{ a: 1, b: 'x', c: 2 }, 1],
    [{ a: 1, b: 'x', c: 3 }, 1],
    [{ a: 1, b: 'x', c: 4 }, 1],
  ]
  const trials = rows.map(([params, value], number) =>
    fixtureTrial({ number, state: 'COMPLETE', value, params, systemAttrs: number === 0 ? { baseline: true } : {} }),
  )
  const space = {
    a: { kind: 'int', low: 1, high: 5, log: false, step: 1 },
    b: { kind: 'categorical', choices: ['x', 'y', 'z'] },
    c: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
  } as const
  const study = (sampler: string) => ({ ...fixtureContext([]).study, systemAttrs: { sampler } })
  const flags = { method: 'fanova', quantile: 0.2, keep: 0 } as FocusFlags
  const sweep = focusOf(trials, space, study('ofat'), flags).result
  assert.deepEqual(sweep.fixed, { a: 2, b: 'y', c: 1 })
  assert.deepEqual(sweep.start, { a: 2, b: 'y', c: 1 }, 'the start lies in the focused space')
  assert.equal(sameAsBest(sweep), false)
  // Any other study: fixed at the best trial's values, which is where the focused search starts.
  const other = focusOf(trials, space, study('random'), flags).result
  assert.deepEqual(other.fixed, { a: 2, b: 'x', c: 1 })
  assert.equal(sameAsBest(other), true)
})
