import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildFeatureMap, featurize } from './feature-map.ts'
import { additiveValue, kernelValue, matern52, matern52Grad, prepareAdditive, scaledSqDist } from './kernel.ts'
import { choleskyInPlace } from './linalg.ts'

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

describe('additive part and rank features', () => {
  test('the additive part averages one-dimensional Matérn terms', () => {
    const z = Float64Array.from([0.1, 2, 0.5, 0.3, 0, 1])
    const cat = Uint8Array.from([0, 1, 0])
    const p = prepareAdditive({ scale: 1.5, invSqLengthscales: Float64Array.from([4, 0.5, 9]) })
    const want = (1.5 / 3) * (matern52(4 * 0.04) + matern52(0.5) + matern52(9 * 0.25))
    const grad = new Float64Array(3)
    assert.ok(Math.abs(additiveValue(z, 0, z, 1, 3, p, cat, grad) - want) < 1e-15)
    // Each term's derivative in its r², weighted by s_add / D.
    const r2 = [4 * 0.04, 0.5, 9 * 0.25]
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(grad[i] - 0.5 * matern52Grad(r2[i])) < 1e-15, `term ${i}`)
    assert.ok(Math.abs(additiveValue(z, 0, z, 0, 3, p, cat) - 1.5) < 1e-15)
  })

  test('ARD plus additive kernel over warped and rank features is positive definite', () => {
    const map = buildFeatureMap(
      [
        { categorical: false },
        { categorical: true, choices: [4, 16, 64, 8] },
        { categorical: true, choices: ['a', 'b'] },
      ],
      true,
      true,
      true,
    )
    const n = 40
    const d = map.inputDim
    const x = Float64Array.from({ length: n * d }, (_, i) =>
      i % d === 0 ? (Math.sin(i * 1.7) + 1) / 2 : (i * 7) % (i % d === 1 ? 4 : 2),
    )
    const warp = { a: Float64Array.from([0.4]), b: Float64Array.from([2.5]) }
    const z = new Float64Array(n * map.size)
    featurize(map, warp, x, n, z)
    const w = Float64Array.from([30, 0.7, 0.2, 5])
    const add = prepareAdditive({ scale: 0.8, invSqLengthscales: Float64Array.from([50, 2, 0.1, 9]) })
    const c = new Float64Array(n * n)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++)
        c[a * n + b] =
          kernelValue(z, a, z, b, map.size, { invSqLengthscales: w, scale: 1, noise: 0 }, map.categorical) +
          additiveValue(z, a, z, b, map.size, add, map.categorical) +
          (a === b ? 1e-9 : 0)
    // The 1e-9 ridge only absorbs rounding: a sum of positive-definite kernels must factorise on distinct points.
    assert.ok(choleskyInPlace(c, n))
  })
})
