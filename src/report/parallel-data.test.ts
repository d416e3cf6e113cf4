import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { MAX_PARALLEL_PARAMS, parallelOf, position } from './parallel-data.ts'
import { renderParallelChart } from './svg/parallel-chart.ts'

const lr = { kind: 'float', low: 1e-4, high: 1e-2, log: true } as const
const r = { kind: 'categorical', choices: [4, 8, 16] } as const
const ep = { kind: 'int', low: 1, high: 5, log: false, step: 1 } as const

function done(number: number, params: Record<string, number>, value: number): FrozenTrial {
  const all = { lr, r, ep } as const
  const distributions = Object.fromEntries(Object.keys(params).map((k) => [k, all[k as keyof typeof all]]))
  return { ...fixtureTrial({ number, state: 'COMPLETE', params, value }), distributions }
}

describe('parallelOf', () => {
  const trials = [
    done(0, { lr: 1e-3, r: 8, ep: 3 }, 2.0),
    done(1, { lr: 1e-4, r: 4, ep: 1 }, 3.0),
    done(2, { lr: 1e-2, r: 16, ep: 5 }, 1.0),
    done(3, { lr: 1e-3, r: 16 }, 1.5), // no epochs: a conditional parameter
    fixtureTrial({ number: 4, state: 'PRUNED', params: { lr: 1e-3, r: 4, ep: 2 } }),
  ]

  test('a trial that breaks a constraint is never drawn as best or top', () => {
    const broken = { ...trials[2], systemAttrs: { constraints: [1] } }
    const p = parallelOf([trials[0], trials[1], broken, trials[3]], 'minimize', 'loss', ['r', 'lr'], 1)!
    assert.deepEqual(
      p.lines.map((l) => [l.number, l.group]),
      [
        [3, 'best'],
        [0, 'rest'],
        [1, 'rest'],
        [2, 'rest'],
      ],
    )
  })

  test('axes follow importance, then names; positions are hand-computed (log, choices, ints, missing)', () => {
    const p = parallelOf(trials, 'minimize', 'loss', ['r', 'lr'], 1)!
    assert.deepEqual(
      p.axes.map((a) => a.name),
      ['r', 'lr', 'ep', 'loss'],
    )
    // Best first; the pruned trial is not drawn.
    assert.deepEqual(
      p.lines.map((l) => [l.number, l.group, l.baseline]),
      [
        [2, 'best', false],
        [3, 'rest', false],
        [0, 'rest', false],
        [1, 'rest', true],
      ],
    )
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1e9) / 1e9)
    const byNumber = new Map(p.lines.map((l) => [l.number, l.positions.map(round)]))
    // r 8 is the middle of three choices; lr 1e-3 the middle of [1e-4, 1e-2] in log space; ep 3 of [1, 5]: 0.5;
    // loss 2 of [1, 3]: 0.5.
    assert.deepEqual(byNumber.get(0), [0.5, 0.5, 0.5, 0.5])
    assert.deepEqual(byNumber.get(1), [0, 0, 0, 1])
    assert.deepEqual(byNumber.get(3), [1, 0.5, null, 0.25])
    assert.equal(p.omitted, 0)
  })

  test('a maximised objective puts the largest value first; fewer than two trials give no chart', () => {
    const p = parallelOf(trials, 'maximize', 'acc', [], undefined)!
    assert.equal(p.lines[0].number, 1)
    assert.equal(parallelOf(trials.slice(0, 1), 'minimize', 'loss', [], undefined), undefined)
  })

  test('at most MAX_PARALLEL_PARAMS parameter axes; the rest are counted', () => {
    const names = Array.from({ length: 13 }, (_, i) => `p${String(i).padStart(2, '0')}`)
    const wide = [0, 1].map((n) => ({
      ...fixtureTrial({ number: n, state: 'COMPLETE', value: n, params: Object.fromEntries(names.map((k) => [k, n])) }),
      distributions: Object.fromEntries(names.map((k) => [k, { kind: 'float', low: 0, high: 1, log: false } as const])),
    }))
    const p = parallelOf(wide, 'minimize', 'loss', [], undefined)!
    assert.equal(p.axes.length, MAX_PARALLEL_PARAMS + 1)
    assert.equal(p.omitted, 13 - MAX_PARALLEL_PARAMS)
  })

  test('values outside the latest range widen the axis instead of being clipped', () => {
    assert.equal(position({ name: 'x', kind: 'numeric', low: 0, high: 10, log: false }, 2.5), 0.25)
    assert.equal(position({ name: 'c', kind: 'categorical', choices: ['a'] }, 'a'), 0.5)
    assert.equal(position({ name: 'c', kind: 'categorical', choices: ['a', 'b'] }, 'z'), null)
    const older = done(9, { lr: 0.1, r: 4, ep: 1 }, 5) // from a wider, earlier space
    const p = parallelOf([...trials, older], 'minimize', 'loss', [], undefined)!
    const axis = p.axes.find((a) => a.name === 'lr')!
    assert.ok(axis.kind === 'numeric' && axis.high === 0.1)
  })
})

describe('renderParallelChart', () => {
  test('one path per trial, the best drawn last, names escaped, a missing value breaks the line', () => {
    const t = [
      done(0, { lr: 1e-3, r: 8, ep: 3 }, 2.0),
      done(1, { lr: 1e-3, r: 16 }, 1.0),
      done(2, { lr: 1e-4, r: 4, ep: 1 }, 3.0),
    ]
    const p = parallelOf(t, 'minimize', '<script>alert(1)</script>', ['lr', 'ep', 'r'], undefined)!
    const svg = renderParallelChart('pc', p)
    const paths = [...svg.matchAll(/<path class="ln pc (\w+)" d="([^"]*)">/g)]
    assert.equal(paths.length, 3)
    assert.equal(paths.at(-1)![1], 'best')
    // Trial #1 has no `ep` (axes lr, ep, r, objective): its path starts anew after the gap.
    assert.equal((paths.at(-1)![2].match(/M/g) ?? []).length, 2)
    assert.ok(!svg.includes('<script>'))
    assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  })
})
