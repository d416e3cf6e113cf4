import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { GpModel } from './gp-model.ts'
import { matern52 } from './kernel.ts'
import { defaultTheta, type GpData, negLogPosterior } from './marginal-likelihood.ts'

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`)

describe('GP posterior', () => {
  test('matches the closed form on a two-point 1-D toy', () => {
    // x = [0, 1], y = [1, −1], w = 4 (ℓ = 0.5), s = 1.5, σ² = 0.01; test point 0.3.
    const w = 4
    const s = 1.5
    const noise = 0.01
    const data: GpData = {
      x: Float64Array.from([0, 1]),
      y: Float64Array.from([1, -1]),
      n: 2,
      d: 1,
      categorical: new Uint8Array(1),
    }
    const gp = new GpModel(data, { invSqLengthscales: Float64Array.from([w]), scale: s, noise })
    const k = (a: number, b: number) => s * matern52(w * (a - b) ** 2)
    const c11 = k(0, 0) + noise
    const c12 = k(0, 1)
    const det = c11 * c11 - c12 * c12
    // C⁻¹ = [[c11, −c12], [−c12, c11]] / det
    const ks = [k(0.3, 0), k(0.3, 1)]
    const alpha = [(c11 * 1 - c12 * -1) / det, (-c12 * 1 + c11 * -1) / det]
    const mean = ks[0] * alpha[0] + ks[1] * alpha[1]
    const quad = (c11 * ks[0] * ks[0] - 2 * c12 * ks[0] * ks[1] + c11 * ks[1] * ks[1]) / det
    const p = gp.predict([0.3])
    close(p.mean, mean, 1e-12, 'mean')
    close(p.variance, s - quad, 1e-12, 'variance')
    // Training means: K·α.
    const tm = gp.trainingMeans()
    close(tm[0], k(0, 0) * alpha[0] + c12 * alpha[1], 1e-12, 'training mean')
  })

  test('input gradients of mean and variance match finite differences', () => {
    const n = 12
    const d = 3
    const x = Float64Array.from({ length: n * d }, (_, i) => (Math.sin(i * 7.13) + 1) / 2)
    for (let a = 0; a < n; a++) x[a * d + 2] = a % 3 // categorical dimension
    const y = Float64Array.from({ length: n }, (_, a) => Math.cos(3 * x[a * d]) + x[a * d + 1])
    const gp = new GpModel(
      { x, y, n, d, categorical: Uint8Array.from([0, 0, 1]) },
      { invSqLengthscales: Float64Array.from([3, 1.5, 0.7]), scale: 1.2, noise: 1e-4 },
    )
    const at = [0.37, 0.61, 1]
    const gm = new Float64Array(d)
    const gv = new Float64Array(d)
    gp.predict(at, gm, gv)
    for (let i = 0; i < 2; i++) {
      const h = 1e-6
      const up = [...at]
      const dn = [...at]
      up[i] += h
      dn[i] -= h
      const pu = gp.predict(up)
      const pd = gp.predict(dn)
      close(gm[i], (pu.mean - pd.mean) / (2 * h), 1e-5, `dmean/dx${i}`)
      close(gv[i], (pu.variance - pd.variance) / (2 * h), 1e-5, `dvar/dx${i}`)
    }
    assert.equal(gm[2], 0)
  })
})

describe('log marginal likelihood', () => {
  const n = 15
  const d = 3
  const x = Float64Array.from({ length: n * d }, (_, i) => (Math.cos(i * 3.7) + 1) / 2)
  for (let a = 0; a < n; a++) x[a * d + 1] = a % 4
  const y = Float64Array.from({ length: n }, (_, a) => Math.sin(5 * x[a * d]) + (x[a * d + 1] === 2 ? 1 : 0) - 0.3)
  const data: GpData = { x, y, n, d, categorical: Uint8Array.from([0, 1, 0]) }

  for (const fixedNoise of [false, true]) {
    test(`analytic gradient matches finite differences (fixedNoise=${fixedNoise})`, () => {
      const theta = Float64Array.from([0.7, -0.4, 1.3, 0.2, Math.log(0.05)])
      const g = new Float64Array(d + 2)
      negLogPosterior(data, theta, g, fixedNoise)
      for (let j = 0; j < d + 2; j++) {
        const h = 1e-5
        const up = Float64Array.from(theta)
        const dn = Float64Array.from(theta)
        up[j] += h
        dn[j] -= h
        const scratch = new Float64Array(d + 2)
        const fd =
          (negLogPosterior(data, up, scratch, fixedNoise) - negLogPosterior(data, dn, scratch, fixedNoise)) / (2 * h)
        close(g[j], fixedNoise && j === d + 1 ? 0 : fd, 1e-5, `∂/∂θ${j}`)
      }
    })
  }

  test('value equals the direct Gaussian log density plus the priors', () => {
    const theta = defaultTheta(1)
    const one: GpData = {
      x: Float64Array.from([0.2]),
      y: Float64Array.from([0.8]),
      n: 1,
      d: 1,
      categorical: new Uint8Array(1),
    }
    const v = negLogPosterior(one, theta, new Float64Array(3), false)
    const variance = 1 + 0.01
    const nll = 0.5 * Math.log(2 * Math.PI * variance) + (0.5 * 0.8 * 0.8) / variance
    const prior = -(0.1 + 0.1) + (Math.log(1) - 1) + (0.1 * Math.log(0.01) - 30 * 0.01)
    close(v, nll - prior, 1e-12, 'negative log posterior')
  })
})

test('batched predictions equal single predictions', () => {
  const n = 9
  const d = 2
  const x = Float64Array.from({ length: n * d }, (_, i) => (i % 2 ? i % 3 : Math.sin(i) ** 2))
  const y = Float64Array.from({ length: n }, (_, a) => Math.cos(a))
  const gp = new GpModel(
    { x, y, n, d, categorical: Uint8Array.from([0, 1]) },
    { invSqLengthscales: Float64Array.from([2, 0.5]), scale: 0.8, noise: 1e-3 },
  )
  const m = 300
  const xs = Float64Array.from({ length: m * d }, (_, i) => (i % 2 ? i % 3 : (i * 0.37) % 1))
  const means = new Float64Array(m)
  const vars = new Float64Array(m)
  gp.predictMany(xs, m, means, vars)
  for (let c = 0; c < m; c++) {
    const p = gp.predict(xs.subarray(c * d, c * d + d))
    close(means[c], p.mean, 1e-12, 'mean')
    close(vars[c], p.variance, 1e-12, 'variance')
  }
})
