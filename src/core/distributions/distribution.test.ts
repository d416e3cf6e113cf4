import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRng } from '../rng.ts'
import {
  containsValue,
  type Distribution,
  describeDistribution,
  finiteValues,
  fromInternal,
  snapToGrid,
  toInternal,
  validateDistribution,
} from './distribution.ts'
import { samplePrior } from './sample-prior.ts'

describe('validateDistribution', () => {
  const cases: [string, Distribution, RegExp][] = [
    ['low > high', { kind: 'float', low: 1, high: 0, log: false }, /"lr".*`low <= high`.*low=1, high=0.*Swap/],
    ['log with low 0', { kind: 'float', low: 0, high: 1, log: true }, /"lr".*`low > 0`.*low=0.*log: false/],
    ['NaN bound', { kind: 'float', low: Number.NaN, high: 1, log: false }, /"lr".*finite bounds/],
    ['step <= 0', { kind: 'float', low: 0, high: 1, log: false, step: 0 }, /"lr".*`step > 0`.*step=0/],
    ['step with log', { kind: 'float', low: 1, high: 10, log: true, step: 1 }, /"lr".*not combined with log/],
    ['int with fraction', { kind: 'int', low: 0.5, high: 3, log: false, step: 1 }, /"lr".*integer bounds.*low=0.5/],
    ['empty choices', { kind: 'categorical', choices: [] }, /"lr".*non-empty `choices`/],
    ['duplicate choices', { kind: 'categorical', choices: ['a', 'a'] }, /"lr".*distinct.*"a" twice/],
    ['object choice', { kind: 'categorical', choices: [{} as unknown as string] }, /"lr".*scalar/],
  ]
  for (const [label, d, re] of cases) {
    test(`rejects ${label} with a message naming the parameter, values and fix`, () => {
      assert.throws(
        () => validateDistribution('lr', d),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, 'invalid_search_space')
          assert.match(e.message, re)
          return true
        },
      )
    })
  }
  test('accepts legal distributions', () => {
    validateDistribution('a', { kind: 'float', low: 1e-5, high: 1e-3, log: true })
    validateDistribution('b', { kind: 'int', low: 1, high: 64, log: true, step: 1 })
    validateDistribution('c', { kind: 'categorical', choices: [8, 'x', true, null] })
    validateDistribution('d', { kind: 'float', low: 0, high: 0, log: false })
  })
})

describe('grid and internal mapping', () => {
  test('finite values of int and stepped float', () => {
    assert.deepEqual(finiteValues({ kind: 'int', low: 2, high: 10, log: false, step: 4 }), [2, 6, 10])
    assert.deepEqual(finiteValues({ kind: 'float', low: 0, high: 0.3, log: false, step: 0.1 }), [0, 0.1, 0.2, 0.3])
    assert.equal(finiteValues({ kind: 'float', low: 0, high: 1, log: false }), undefined)
  })
  test('snapToGrid rounds and clamps', () => {
    const d = { kind: 'int', low: 0, high: 10, log: false, step: 2 } as const
    assert.equal(snapToGrid(d, 3.2), 4)
    assert.equal(snapToGrid(d, 99), 10)
    assert.equal(snapToGrid({ kind: 'float', low: 0, high: 1, log: false, step: 0.1 }, 0.3000001), 0.3)
  })
  test('categorical index round trip and containment', () => {
    const d: Distribution = { kind: 'categorical', choices: ['a', 2, null] }
    assert.equal(toInternal(d, null), 2)
    assert.equal(fromInternal(d, 1.2), 2)
    assert.ok(containsValue(d, 'a'))
    assert.ok(!containsValue(d, 'b'))
    assert.throws(() => toInternal(d, 'b'), /not one of the choices/)
  })
  test('describe is short and readable', () => {
    assert.equal(
      describeDistribution({ kind: 'float', low: 1e-5, high: 0.001, log: true }),
      'float[0.00001, 0.001] log',
    )
    assert.equal(describeDistribution({ kind: 'int', low: 1, high: 8, log: false, step: 1 }), 'int[1, 8]')
  })
})

describe('samplePrior', () => {
  test('stays in bounds and honours log, step and int for many draws', () => {
    const rng = createRng(3)
    const dists: Distribution[] = [
      { kind: 'float', low: 1e-6, high: 1e-2, log: true },
      { kind: 'float', low: -1, high: 1, log: false, step: 0.25 },
      { kind: 'int', low: 1, high: 16, log: true, step: 1 },
      { kind: 'int', low: 0, high: 9, log: false, step: 3 },
      { kind: 'categorical', choices: ['a', 'b', 'c'] },
    ]
    for (const d of dists)
      for (let i = 0; i < 500; i++) assert.ok(containsValue(d, samplePrior(d, rng)), JSON.stringify(d))
  })
  test('log prior puts about half the mass below the geometric mean', () => {
    const rng = createRng(9)
    const d: Distribution = { kind: 'float', low: 1e-6, high: 1e-2, log: true }
    let below = 0
    for (let i = 0; i < 4000; i++) if ((samplePrior(d, rng) as number) < 1e-4) below++
    assert.ok(Math.abs(below / 4000 - 0.5) < 0.04, `fraction below 1e-4 = ${below / 4000}`)
  })
  test('every int grid point is reachable', () => {
    const rng = createRng(1)
    const seen = new Set<number>()
    for (let i = 0; i < 300; i++)
      seen.add(samplePrior({ kind: 'int', low: 0, high: 9, log: false, step: 3 }, rng) as number)
    assert.deepEqual([...seen].sort(), [0, 3, 6, 9])
  })
})
