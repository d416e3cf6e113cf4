import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { normCdf } from '../../math/normal.ts'
import { createRng } from '../../rng.ts'
import { toDimension } from './dimension.ts'
import { ParzenEstimator, type ParzenOptions } from './parzen-estimator.ts'

const univariate: ParzenOptions = {
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  bandwidthFactor: 0.2,
}

const normalPdf = (x: number, m: number, s: number) =>
  Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI))
const truncPdf = (x: number, m: number, s: number, lo: number, hi: number) =>
  normalPdf(x, m, s) / (normCdf((hi - m) / s) - normCdf((lo - m) / s))

describe('ParzenEstimator', () => {
  test('log-pdf equals a hand-computed truncated-normal mixture (univariate)', () => {
    const dim = toDimension('x', { kind: 'float', low: 0, high: 1, log: false })
    const obs = Float64Array.of(0.2, 0.9)
    const est = new ParzenEstimator([dim], [obs], Float64Array.of(1, 1), univariate)
    // Sorted with the prior's centre: [0.2, 0.5, 0.9] inside [0, 1]; without endpoints the ends use their inner
    // gap: σ(0.2) = 0.3, σ(0.9) = 0.4; the prior kernel has μ = 0.5, σ = 1. Magic clip: ≥ 1/min(100, 4) = 0.25.
    const kernels = [
      { m: 0.2, s: 0.3, w: 1 / 3 },
      { m: 0.9, s: 0.4, w: 1 / 3 },
      { m: 0.5, s: 1, w: 1 / 3 },
    ]
    for (const x of [0, 0.1, 0.5, 0.77, 1]) {
      const expected = Math.log(kernels.reduce((acc, k) => acc + k.w * truncPdf(x, k.m, k.s, 0, 1), 0))
      const got = est.logPdf([Float64Array.of(x)], 1)[0]
      assert.ok(Math.abs(got - expected) < 1e-12, `x=${x}: ${got} vs ${expected}`)
    }
  })

  test('categorical kernels follow the prior-weight rule', () => {
    const dim = toDimension('c', { kind: 'categorical', choices: ['a', 'b', 'c'] })
    const est = new ParzenEstimator([dim], [Float64Array.of(0, 0, 2)], Float64Array.of(1, 1, 1), univariate)
    // Each observation kernel: 1/4 (prior weight / kernels) on every choice, +1 on its own, normalised by 1.75.
    const on = 1.25 / 1.75
    const off = 0.25 / 1.75
    const p = (c: number) => 0.25 * ((c === 0 ? 2 * on : 2 * off) + (c === 2 ? on : off) + 1 / 3)
    for (const c of [0, 1, 2]) {
      const got = est.logPdf([Float64Array.of(c)], 1)[0]
      assert.ok(Math.abs(got - Math.log(p(c))) < 1e-12, `choice ${c}`)
    }
  })

  test('discrete dimensions give grid masses that sum to one', () => {
    const dim = toDimension('n', { kind: 'int', low: 1, high: 5, log: false, step: 1 })
    const est = new ParzenEstimator([dim], [Float64Array.of(2, 2, 5)], Float64Array.of(1, 1, 1), univariate)
    const total = [1, 2, 3, 4, 5].reduce((acc, v) => acc + Math.exp(est.logPdf([Float64Array.of(v)], 1)[0]), 0)
    assert.ok(Math.abs(total - 1) < 1e-12, `sum ${total}`)
  })

  test('samples stay inside the bounds and on the grid; a joint density over two dimensions is finite', () => {
    const dims = [
      toDimension('lr', { kind: 'float', low: 1e-5, high: 1e-1, log: true }),
      toDimension('k', { kind: 'int', low: 0, high: 20, log: false, step: 4 }),
    ]
    const obs = [Float64Array.of(Math.log(1e-3), Math.log(1e-4)), Float64Array.of(4, 16)]
    const est = new ParzenEstimator(dims, obs, Float64Array.of(1, 1), { ...univariate, multivariate: true })
    const pts = est.sample(createRng(3), 500)
    for (let i = 0; i < 500; i++) {
      assert.ok(pts[0][i] >= Math.log(1e-5) && pts[0][i] <= Math.log(1e-1))
      assert.ok(pts[1][i] >= 0 && pts[1][i] <= 20 && pts[1][i] % 4 === 0)
    }
    assert.ok(est.logPdf(pts, 500).every(Number.isFinite))
  })
})
