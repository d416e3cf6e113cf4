import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { kernelValue, matern52, matern52Grad, scaledSqDist } from './kernel.ts'

describe('Matérn-5/2 kernel', () => {
  test('matches hand-computed values', () => {
    assert.equal(matern52(0), 1)
    // r = 1: √5 = 2.2360679775, (1 + √5 + 5/3)·e^{−√5} = 4.9027346441 · 0.1068779415 = 0.5239941088
    assert.ok(Math.abs(matern52(1) - 0.5239941088) < 1e-9)
    // r² = 0.25 → r = 0.5: √5/2 = 1.1180339887, (1 + 1.1180339887 + 5/12)·e^{−1.1180339887} = 0.8286491424
    assert.ok(Math.abs(matern52(0.25) - 0.8286491424) < 1e-9)
  })

  test('gradient in r² matches finite differences and is finite at 0', () => {
    assert.ok(Math.abs(matern52Grad(0) + 5 / 6) < 1e-15)
    for (const r2 of [1e-3, 0.3, 1, 4]) {
      const h = 1e-6 * Math.max(1, r2)
      const fd = (matern52(r2 + h) - matern52(r2 - h)) / (2 * h)
      assert.ok(Math.abs(fd - matern52Grad(r2)) < 1e-7, `r²=${r2}: ${fd} vs ${matern52Grad(r2)}`)
    }
  })

  test('mixes squared numeric distances with a Hamming term per categorical', () => {
    const x = Float64Array.from([0.1, 2, 0.5, 0.3, 0, 1])
    const w = Float64Array.from([4, 0.5, 9])
    const cat = Uint8Array.from([0, 1, 0])
    // 4·0.2² + 0.5·[2≠0] + 9·0.5² = 0.16 + 0.5 + 2.25
    assert.ok(Math.abs(scaledSqDist(x, 0, x, 1, 3, w, cat) - 2.91) < 1e-12)
    assert.equal(scaledSqDist(x, 0, x, 0, 3, w, cat), 0)
    const k = kernelValue(x, 0, x, 1, 3, { invSqLengthscales: w, scale: 2, noise: 0 }, cat)
    assert.ok(Math.abs(k - 2 * matern52(2.91)) < 1e-15)
  })
})
