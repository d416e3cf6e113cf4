import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { argsort, kendallTauB, logsumexp, mean, pearson, quantile, rankdata, spearman, variance } from './stats.ts'

// References from NumPy 2.4, Python's statistics module, mpmath and the SciPy documentation examples.

const near = (a: number, b: number, tol = 1e-14) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`)

describe('stats', () => {
  const v = [3.1, -2.0, 7.5, 0.25, 10.0, 4.4, -1.5]

  test('mean and variance', () => {
    near(mean(v), 3.107142857142857)
    near(variance(v), 17.707448979591838)
    near(variance(v, 1), 20.658690476190475)
    assert.ok(Number.isNaN(mean([])))
    assert.ok(Number.isNaN(variance([1], 1)))
    // Two-pass keeps precision with a large offset.
    near(variance([1e9 + 1, 1e9 + 2, 1e9 + 3]), 2 / 3, 1e-9)
  })

  test('quantile matches numpy.quantile (linear)', () => {
    const qs = [0, 0.1, 0.25, 0.5, 0.9, 1]
    const want = [-2.0, -1.7, -0.625, 3.1, 8.5, 10.0]
    for (const [i, q] of qs.entries()) near(quantile(v, q), want[i])
    assert.equal(quantile([10, 7, 4, 3, 2, 1], 0.5), 3.5)
    assert.equal(quantile([5], 0.3), 5)
    assert.ok(Number.isNaN(quantile([], 0.5)))
    assert.ok(Number.isNaN(quantile([1, Number.NaN], 0.5)))
    assert.throws(() => quantile(v, 1.5), RangeError)
  })

  test('argsort is stable and puts NaN last', () => {
    assert.deepEqual(argsort([3, 1, 2, 1, Number.NaN, 0]), [5, 1, 3, 2, 0, 4])
  })

  test('logsumexp', () => {
    near(logsumexp([1000, 1000.5, 999, -1e300]), 1001.1041306053368)
    near(logsumexp([-800, -801, -799], [0.2, 0.3, 0.5]), -799.4874729764872)
    assert.equal(logsumexp([]), Number.NEGATIVE_INFINITY)
    assert.equal(logsumexp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]), Number.NEGATIVE_INFINITY)
    assert.equal(logsumexp([1, Number.POSITIVE_INFINITY]), Number.POSITIVE_INFINITY)
  })

  test('rankdata averages ties', () => {
    assert.deepEqual(rankdata([0, 2, 3, 2]), [1, 2.5, 4, 2.5])
    assert.deepEqual(rankdata([5, 5, 5]), [2, 2, 2])
  })

  test('pearson and spearman', () => {
    near(pearson([1, 2, 3], [2, 4, 6]), 1)
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])))
    near(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207826816681233)
    near(spearman([0.1, 0.4, 0.35, 0.8, 0.7, 0.05], [1, 3, 2, 6, 5, 1.5]), 0.9428571428571428)
  })

  test('kendall tau-b with ties', () => {
    near(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]), -0.47140452079103173)
    near(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4]), 1)
    near(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1)
    assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])))
  })
})
