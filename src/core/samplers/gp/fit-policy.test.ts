import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FIT_ROWS, fitSubset, REFIT_EVERY, REFIT_FROM, shouldRefit } from './fit-policy.ts'
import type { GpData } from './marginal-likelihood.ts'

describe('shouldRefit', () => {
  test('always without a fit or below REFIT_FROM rows; past it, every REFIT_EVERY-th ask', () => {
    assert.equal(shouldRefit(400, false), true)
    for (let n = 1; n < REFIT_FROM; n++) assert.equal(shouldRefit(n, true), true)
    const from = Array.from({ length: 2 * REFIT_EVERY }, (_, k) => shouldRefit(REFIT_FROM + k, true))
    assert.equal(from.filter(Boolean).length, 2)
    assert.equal(shouldRefit(REFIT_FROM * REFIT_EVERY, true), true)
  })
})

describe('fitSubset', () => {
  const rows = (n: number): GpData => ({
    x: Float64Array.from({ length: 2 * n }, (_, i) => i),
    y: Float64Array.from({ length: n }, (_, i) => 10 * i),
    n,
    d: 2,
    categorical: new Uint8Array(2),
  })

  test('small data is fitted whole; larger data on m rows spread evenly over trial order, rows kept intact', () => {
    const small = rows(4)
    assert.equal(fitSubset(small, 4), small)
    const sub = fitSubset(rows(10), 4)
    assert.equal(sub.n, 4)
    assert.deepEqual([...sub.y], [0, 20, 50, 70])
    assert.deepEqual([...sub.x], [0, 1, 4, 5, 10, 11, 14, 15])
    assert.equal(fitSubset(rows(3 * FIT_ROWS), FIT_ROWS).n, FIT_ROWS)
  })
})
