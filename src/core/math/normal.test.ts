import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  logAddExp,
  logDiffExp,
  logH,
  logNormalMass,
  logNormCdf,
  normCdf,
  normPdf,
  normPpf,
  normPpfFromLog,
} from './normal.ts'

// Reference values from mpmath at 50-80 digits, rounded to the nearest double.

/** Asserts |actual - expected| <= rtol·|expected| (or <= rtol when expected is 0). */
function close(actual: number, expected: number, rtol: number, label = ''): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected)
  assert.ok(err <= rtol, `${label} got ${actual}, want ${expected} (rel err ${err.toExponential(2)} > ${rtol})`)
}

function table(name: string, f: (x: number) => number, cases: [number, number][], rtol: number): void {
  for (const [x, want] of cases) close(f(x), want, rtol, `${name}(${x})`)
}

describe('standard normal', () => {
  test('pdf', () => {
    table(
      'normPdf',
      normPdf,
      [
        [-35, 3.940396277136024e-267],
        [-10, 7.694598626706419e-23],
        [-1, 0.24197072451914334],
        [0, 0.3989422804014327],
        [2.5, 0.017528300493568537],
      ],
      1e-15,
    )
  })

  test('cdf in the bulk and the lower tail', () => {
    table(
      'normCdf',
      normCdf,
      [
        [-37, 5.725571222524577e-300],
        [-20, 2.7536241186062337e-89],
        [-10, 7.619853024160525e-24],
        [-5, 2.866515718791939e-7],
        [-2, 0.02275013194817921],
        [-1, 0.15865525393145705],
        [-0.5, 0.3085375387259869],
        [0, 0.5],
        [0.3, 0.6179114221889527],
        [1, 0.8413447460685429],
        [1.96, 0.9750021048517795],
        [3, 0.9986501019683699],
        [6, 0.9999999990134123],
      ],
      2e-15,
    )
    close(normCdf(-10), 7.619853024160527e-24, 1e-15, 'brief value')
    assert.equal(normCdf(Number.NEGATIVE_INFINITY), 0)
    assert.equal(normCdf(Number.POSITIVE_INFINITY), 1)
  })

  test('log cdf far into the tail', () => {
    table(
      'logNormCdf',
      logNormCdf,
      [
        [-1e4, -50000010.12927891],
        [-300, -45006.62273211866],
        [-40, -804.6084420137538],
        [-10, -53.23128515051247],
        [-3, -6.607726221510349],
        [-1, -1.8410216450092636],
        [0, -Math.LN2],
        [1, -0.17275377902344988],
        [5, -2.866516129637636e-7],
        [10, -7.619853024160525e-24],
      ],
      1e-15,
    )
    assert.equal(logNormCdf(-40), -804.6084420137538)
    assert.equal(logNormCdf(Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY)
    assert.ok(logNormCdf(Number.POSITIVE_INFINITY) === 0) // -0 is fine
  })

  test('quantile (ndtri)', () => {
    table(
      'normPpf',
      normPpf,
      [
        [1e-300, -37.0470962993612],
        [1e-100, -21.273453560965326],
        [1e-20, -9.262340089798407],
        [0.001, -3.0902323061678136],
        [0.025, -1.9599639845400543],
        [0.2, -0.8416212335729142],
        [0.6, 0.2533471031357997],
        [0.975, 1.959963984540054],
        [0.999, 3.090232306167813],
      ],
      1e-15,
    )
    assert.equal(normPpf(0.5), 0)
    assert.equal(normPpf(0), Number.NEGATIVE_INFINITY)
    assert.equal(normPpf(1), Number.POSITIVE_INFINITY)
    assert.ok(Number.isNaN(normPpf(1.5)))
    assert.ok(Number.isFinite(normPpf(Number.MIN_VALUE)))
  })

  test('quantile round-trips through the cdf', () => {
    for (let x = -37; x <= 8; x += 0.37) {
      const back = x < 0 ? normPpf(normCdf(x)) : -normPpf(normCdf(-x))
      // Absolute slack near 0, where the probability's own rounding dominates.
      assert.ok(Math.abs(back - x) <= 1e-13 * Math.abs(x) + 1e-15, `ppf(cdf(${x})) = ${back}`)
      const fromLog = normPpfFromLog(logNormCdf(x))
      assert.ok(Math.abs(fromLog - x) <= 1e-13 * Math.abs(x) + 1e-15, `ppfFromLog(logcdf(${x})) = ${fromLog}`)
    }
  })

  test('quantile from a log-probability below the double range', () => {
    table(
      'normPpfFromLog',
      normPpfFromLog,
      [
        [-1e5, -447.1978936785251],
        [-1000, -44.6157477319694],
        [-50, -9.674825283612357],
      ],
      1e-15,
    )
    assert.equal(normPpfFromLog(0), Number.POSITIVE_INFINITY)
  })

  test('log H(z) = log(φ(z) + zΦ(z)) stays accurate where H underflows', () => {
    table(
      'logH',
      logH,
      [
        [-1e6, -500000000028.55],
        [-1000, -500014.73445209116],
        [-40, -808.29856835662],
        [-10, -55.55312203612235],
        [-5.01, -16.797966327739523],
        [-4.99, -16.690729996795877],
        [-3, -7.869686059603029],
        [-1.01, -2.504199857480257],
        [-0.99, -2.4661143916690493],
        [0, -0.9189385332046728],
        [1, 0.08002621884930694],
        [3, 1.0987396653277077],
      ],
      1e-14,
    )
    // Monotone increasing, and finite, across the branch points.
    let prev = Number.NEGATIVE_INFINITY
    for (let z = -60; z <= 5; z += 0.01) {
      const v = logH(z)
      assert.ok(Number.isFinite(v) && v > prev, `logH not increasing at ${z}`)
      prev = v
    }
  })

  test('log-sum helpers', () => {
    close(logAddExp(-1000, -1001), -1000 + Math.log1p(Math.exp(-1)), 1e-16)
    assert.equal(logAddExp(Number.NEGATIVE_INFINITY, -3), -3)
    close(logDiffExp(0, -1e-20), Math.log(1e-20), 1e-15)
    close(logDiffExp(-800, -801), -800 + Math.log1p(-Math.exp(-1)), 1e-16)
    assert.equal(logDiffExp(-2, -2), Number.NEGATIVE_INFINITY)
    assert.equal(logDiffExp(-2, Number.NEGATIVE_INFINITY), -2)
  })

  test('log mass of an interval in either tail and the middle', () => {
    close(logNormalMass(8, 9), -35.01361859343715, 1e-14)
    close(logNormalMass(-9, -8), -35.01361859343715, 1e-14)
    close(logNormalMass(-1, 1), -0.38171514630212605, 1e-15)
    close(logNormalMass(-40, -39), -765.0831565643775, 1e-14)
    close(logNormalMass(38, 38.5), -726.5572160237004, 1e-14)
    close(logNormalMass(-1e-10, 1e-10), -23.251642282585184, 1e-12)
    close(logNormalMass(-3, Number.POSITIVE_INFINITY), -0.0013508099647481938, 1e-14)
    assert.ok(logNormalMass(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY) === 0)
  })
})
