import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { normCdf, normPdf } from '../../math/normal.ts'
import { logExpectedImprovement, logProbabilityBelow } from './acquisition.ts'

describe('log expected improvement', () => {
  test('equals log(EI) where EI is representable', () => {
    for (const [mean, variance, best] of [
      [0, 1, 0],
      [1.2, 0.3, 0.5],
      [-2, 0.5, 1],
      [0.1, 4, 3],
      [-1, 0.01, 0],
    ]) {
      const s = Math.sqrt(variance)
      const z = (mean - best) / s
      const ei = s * (z * normCdf(z) + normPdf(z))
      const got = logExpectedImprovement(mean, variance, best).value
      assert.ok(Math.abs(got - Math.log(ei)) < 1e-9 * Math.max(1, Math.abs(Math.log(ei))), `${got} vs ${Math.log(ei)}`)
    }
  })

  test('stays finite and decreasing where EI underflows', () => {
    let prev = Number.POSITIVE_INFINITY
    for (const z of [-30, -40, -100, -1e3, -1e5]) {
      const s = Math.sqrt(0.5)
      const naive = s * (z * normCdf(z) + normPdf(z))
      const v = logExpectedImprovement(z * s, 0.5, 0).value
      assert.ok(Number.isFinite(v), `z=${z}: ${v}`)
      assert.ok(v < prev)
      prev = v
      if (z <= -40) assert.equal(naive <= 0 || !Number.isFinite(Math.log(naive)), true)
    }
    // Asymptotically log EI ≈ log σ − z²/2 − log(√(2π)) − 2·log|z|.
    const z = -1e3
    const approx = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z)
    assert.ok(Math.abs(logExpectedImprovement(z, 1, 0).value - approx) < 1e-5)
  })

  test('derivatives in mean and variance match finite differences, also in the tail', () => {
    for (const [mean, variance, best] of [
      [0.3, 0.7, 0.1],
      [-3, 0.2, 1],
      [-30, 0.5, 0],
    ]) {
      const g = logExpectedImprovement(mean, variance, best)
      const h = 1e-6
      const dm =
        (logExpectedImprovement(mean + h, variance, best).value -
          logExpectedImprovement(mean - h, variance, best).value) /
        (2 * h)
      const dv =
        (logExpectedImprovement(mean, variance + h, best).value -
          logExpectedImprovement(mean, variance - h, best).value) /
        (2 * h)
      assert.ok(Math.abs(g.dMean - dm) < 1e-5 * Math.max(1, Math.abs(dm)), `dMean ${g.dMean} vs ${dm}`)
      assert.ok(Math.abs(g.dVar - dv) < 1e-5 * Math.max(1, Math.abs(dv)), `dVar ${g.dVar} vs ${dv}`)
    }
  })
})

describe('log probability of feasibility', () => {
  test('equals log Φ((t − μ)/σ) and its derivatives match finite differences', () => {
    const v = logProbabilityBelow(0.4, 0.25, 1)
    assert.ok(Math.abs(v.value - Math.log(normCdf(1.2))) < 1e-12)
    assert.ok(Number.isFinite(logProbabilityBelow(50, 1, 0).value))
    const h = 1e-6
    const dm = (logProbabilityBelow(0.4 + h, 0.25, 1).value - logProbabilityBelow(0.4 - h, 0.25, 1).value) / (2 * h)
    const dv = (logProbabilityBelow(0.4, 0.25 + h, 1).value - logProbabilityBelow(0.4, 0.25 - h, 1).value) / (2 * h)
    assert.ok(Math.abs(v.dMean - dm) < 1e-6)
    assert.ok(Math.abs(v.dVar - dv) < 1e-6)
  })
})
