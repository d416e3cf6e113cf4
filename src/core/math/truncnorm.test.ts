import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { logNormalMass, normPdf } from './normal.ts'
import { truncnormLogPdf, truncnormSample } from './truncnorm.ts'

// Reference values from mpmath at 50-80 digits, rounded to the nearest double.

/** Asserts |actual - expected| <= rtol·|expected| (or <= rtol when expected is 0). */
function close(actual: number, expected: number, rtol: number, label = ''): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected)
  assert.ok(err <= rtol, `${label} got ${actual}, want ${expected} (rel err ${err.toExponential(2)} > ${rtol})`)
}

describe('truncated normal', () => {
  test('log pdf matches references, including far-tail intervals', () => {
    const inf = Number.POSITIVE_INFINITY
    const cases: [number, number, number, number, number, number][] = [
      [0.5, 0, 1, -1, 2, -0.8437722388802101],
      [8.5, 0, 1, 8, 9, -2.0303199397675247],
      [-8.5, 0, 1, -9, -8, -2.0303199397675247],
      [30.2, 0, 1, 30, 31, -2.6176945768613993],
      [-0.3, 1, 2, -3, 1e9, -1.8003228044356545],
      [0.1, 0.2, 0.01, 0, 1, -46.31376834721659],
      [50, 0, 1, 40, inf, -446.3104965194509],
    ]
    for (const [x, mu, s, lo, hi, want] of cases) close(truncnormLogPdf(x, mu, s, lo, hi), want, 1e-13, `at ${x}`)
    assert.equal(truncnormLogPdf(3, 0, 1, -1, 2), Number.NEGATIVE_INFINITY)
    assert.throws(() => truncnormLogPdf(0, 0, 0, -1, 1), RangeError)
  })

  test('inverse-cdf sampling hits reference quantiles', () => {
    const inf = Number.POSITIVE_INFINITY
    const cases: [number, number, number, number][] = [
      [0.7, -9, -8, -8.04379213039024],
      [0.5, -1, 2, 0.17116391801782477],
      [0.25, -inf, -30, -30.046123260403522],
      [0.5, -40, -39.9, -39.916901914975966],
    ]
    for (const [u, a, b, want] of cases)
      close(
        truncnormSample(() => u, a, b),
        want,
        1e-13,
        `u=${u} on [${a}, ${b}]`,
      )
    // An upper-tail interval is sampled as the mirror of the lower one: [8, 9] at u is -([-9, -8] at u).
    close(
      truncnormSample(() => 0.3, 8, 9),
      8.146885924759783,
      1e-13,
    )
    close(
      truncnormSample(() => 0.9, 2, inf),
      2.0440335029544965,
      1e-13,
    )
  })

  test('samples stay inside the interval, even at u = 0 and u → 1', () => {
    const intervals: [number, number][] = [
      [8, 9],
      [-9, -8],
      [-1e3, -999],
      [30, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      [-2, 2],
    ]
    for (const [a, b] of intervals) {
      for (const u of [0, 1e-300, 0.5, 1 - 2 ** -53]) {
        const x = truncnormSample(() => u, a, b)
        assert.ok(Number.isFinite(x) && x >= a && x <= b, `u=${u} on [${a}, ${b}] gave ${x}`)
      }
    }
    assert.equal(
      truncnormSample(() => 0.5, 1, 1),
      1,
    )
    assert.throws(() => truncnormSample(() => 0.5, 2, 1), RangeError)
  })

  test('sample mean on a tail interval matches the analytic mean', () => {
    // E[X | 8 <= X <= 9] = (φ(8) - φ(9)) / (Φ(9) - Φ(8)), evaluated with the tail-safe helpers.
    const want = (normPdf(8) - normPdf(9)) / Math.exp(logNormalMass(8, 9))
    const n = 4000
    let sum = 0
    for (let i = 0; i < n; i++) sum += truncnormSample(() => (i + 0.5) / n, 8, 9)
    close(sum / n, want, 1e-6)
  })
})
