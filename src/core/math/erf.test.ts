import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { erf, erfc, erfcx } from './erf.ts'

// Reference values from mpmath at 50-80 digits, rounded to the nearest double.

/** Asserts |actual - expected| <= rtol·|expected| (or <= rtol when expected is 0). */
function close(actual: number, expected: number, rtol: number, label = ''): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected)
  assert.ok(err <= rtol, `${label} got ${actual}, want ${expected} (rel err ${err.toExponential(2)} > ${rtol})`)
}

function table(name: string, f: (x: number) => number, cases: [number, number][], rtol: number): void {
  for (const [x, want] of cases) close(f(x), want, rtol, `${name}(${x})`)
}

describe('erf family', () => {
  test('erf', () => {
    table(
      'erf',
      erf,
      [
        [-3, -0.9999779095030014],
        [-0.4, -0.42839235504666845],
        [1e-10, 1.1283791670955126e-10],
        [0.2, 0.22270258921047847],
        [0.5, 0.5204998778130465],
        [1, 0.8427007929497149],
        [2, 0.9953222650189527],
        [4, 0.9999999845827421],
        [5.5, 0.9999999999999927],
      ],
      1e-15,
    )
    assert.equal(erf(0), 0)
    assert.equal(erf(Number.POSITIVE_INFINITY), 1)
  })

  test('erfc keeps relative accuracy in the tail', () => {
    table(
      'erfc',
      erfc,
      [
        [-2, 1.9953222650189528],
        [-0.3, 1.3286267594591274],
        [0.1, 0.887537083981715],
        [0.46875, 0.507386526782062],
        [0.5, 0.4795001221869535],
        [1, 0.15729920705028513],
        [3, 2.209049699858544e-5],
        [4, 1.541725790028002e-8],
        [4.5, 1.9661604415428876e-10],
        [10, 2.088487583762545e-45],
        [26, 5.663192408856143e-296],
      ],
      2e-15,
    )
    assert.equal(erfc(Number.POSITIVE_INFINITY), 0)
    assert.equal(erfc(Number.NEGATIVE_INFINITY), 2)
  })

  test('erfcx', () => {
    table(
      'erfcx',
      erfcx,
      [
        [-26, 7.657724931490568e293],
        [-5, 144009798674.66104],
        [-1, 5.008980080762283],
        [-0.2, 1.2726020284831958],
        [0, 1],
        [0.2, 0.8090195199015807],
        [0.5, 0.6156903441929259],
        [2, 0.25539567631050575],
        [4, 0.13699945762506138],
        [4.5, 0.12248480427384142],
        [30, 0.018795888861416751],
        [1000, 0.0005641893014533876],
        [1e10, 5.641895835477563e-11],
      ],
      1e-14,
    )
    assert.equal(erfcx(Number.POSITIVE_INFINITY), 0)
    assert.equal(erfcx(-30), Number.POSITIVE_INFINITY)
  })
})
