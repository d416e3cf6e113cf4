import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildFeatureMap } from './feature-map.ts'
import { GpModel } from './gp-model.ts'
import { kumaraswamy, kumaraswamyDerivatives, type WarpDerivatives } from './input-warping.ts'
import { defaultTheta, type GpData, negLogPosterior, unpackTheta } from './marginal-likelihood.ts'

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`)

describe('Kumaraswamy warp', () => {
  test('is the identity at a = b = 1, monotone, and maps [0, 1] into [0, 1]', () => {
    for (const x of [0, 0.1, 0.5, 0.93, 1]) close(kumaraswamy(x, 1, 1), x, 1e-6, `K(${x})`)
    for (const [a, b] of [
      [0.3, 2],
      [4, 0.5],
      [2, 2],
    ]) {
      let prev = -1
      for (let k = 0; k <= 100; k++) {
        const v = kumaraswamy(k / 100, a, b)
        assert.ok(v >= prev && v >= 0 && v <= 1, `a=${a} b=${b} x=${k / 100}: ${v}`)
        prev = v
      }
    }
    // The ends stay (close to) fixed; with a < 1 the squeeze of x = 0 to 1e-7 shows as (1e-7)^a.
    close(kumaraswamy(0, 2, 2), 0, 1e-9, 'K(0)')
    close(kumaraswamy(1, 4, 0.5), 1, 1e-3, 'K(1)')
  })

  test('derivatives in x, log a and log b match finite differences', () => {
    const out: WarpDerivatives = { value: 0, dx: 0, dLogA: 0, dLogB: 0 }
    const h = 1e-6
    for (const [x, a, b] of [
      [0.2, 0.5, 2],
      [0.7, 3, 0.4],
      [0.5, 1, 1],
      [0.05, 1.7, 1.2],
    ]) {
      kumaraswamyDerivatives(x, a, b, out)
      close(out.value, kumaraswamy(x, a, b), 1e-12, 'value')
      close(out.dx, (kumaraswamy(x + h, a, b) - kumaraswamy(x - h, a, b)) / (2 * h), 1e-5, 'dx')
      const fa = (kumaraswamy(x, a * Math.exp(h), b) - kumaraswamy(x, a * Math.exp(-h), b)) / (2 * h)
      close(out.dLogA, fa, 1e-5, 'dLogA')
      const fb = (kumaraswamy(x, a, b * Math.exp(h)) - kumaraswamy(x, a, b * Math.exp(-h))) / (2 * h)
      close(out.dLogB, fb, 1e-5, 'dLogB')
    }
  })
})

for (const additive of [false, true])
  describe(`GP with warped inputs and rank features (additive=${additive})`, () => {
    const n = 14
    const d = 3
    const x = Float64Array.from({ length: n * d }, (_, i) => (Math.cos(i * 2.3) + 1) / 2)
    for (let a = 0; a < n; a++) x[a * d + 1] = a % 4
    const y = Float64Array.from({ length: n }, (_, a) => Math.sin(6 * x[a * d] ** 2) + 0.3 * x[a * d + 1] - 0.4)
    const features = buildFeatureMap(
      [{ categorical: false }, { categorical: true, choices: [8, 2, 32, 4] }, { categorical: false }],
      true,
      true,
      additive,
    )
    const data: GpData = { x, y, n, d, categorical: Uint8Array.from([0, 1, 0]), features }
    // log s_add and one log w′ per feature when the kernel has an additive part.
    const extra = additive ? [-0.5, 0.9, -0.3, 0.2, 1.4] : []

    test('the feature map warps numeric inputs and adds one rank feature per numeric categorical', () => {
      assert.equal(features.size, 4)
      assert.deepEqual([...features.warped], [0, 2])
      assert.deepEqual([...features.categorical], [0, 1, 0, 0])
      // Choices [8, 2, 32, 4] sit at ranks 2, 0, 3, 1 of 4.
      assert.deepEqual([...features.ranks[0].values], [2 / 3, 0, 1, 1 / 3])
      assert.equal(defaultTheta(d, features).length, 4 + 2 + 4 + (additive ? 5 : 0))
    })

    test('analytic gradient of the log posterior matches finite differences (warp parameters included)', () => {
      const theta = Float64Array.from([0.7, -0.4, 1.3, 0.5, 0.2, Math.log(0.05), 0.4, -0.6, -0.3, 0.8, ...extra])
      const g = new Float64Array(theta.length)
      negLogPosterior(data, theta, g, false)
      const scratch = new Float64Array(theta.length)
      for (let j = 0; j < theta.length; j++) {
        const h = 1e-5
        const up = Float64Array.from(theta)
        const dn = Float64Array.from(theta)
        up[j] += h
        dn[j] -= h
        const fd = (negLogPosterior(data, up, scratch, false) - negLogPosterior(data, dn, scratch, false)) / (2 * h)
        close(g[j], fd, 1e-5, `∂/∂θ${j}`)
      }
    })

    test('prediction gradients in x follow the chain rule through the warp', () => {
      const theta = Float64Array.from([1.1, -0.2, 0.4, 0.3, 0.1, Math.log(0.02), 0.5, -0.7, 0.6, -0.2, ...extra])
      const gp = new GpModel(data, unpackTheta(theta, d, false, features))
      const p0 = Float64Array.from([0.31, 2, 0.64])
      const gm = new Float64Array(d)
      const gv = new Float64Array(d)
      gp.predict(p0, gm, gv)
      for (const i of [0, 2]) {
        const h = 1e-6
        const up = Float64Array.from(p0)
        const dn = Float64Array.from(p0)
        up[i] += h
        dn[i] -= h
        close(gm[i], (gp.predict(up).mean - gp.predict(dn).mean) / (2 * h), 1e-5, `dmean/dx${i}`)
        close(gv[i], (gp.predict(up).variance - gp.predict(dn).variance) / (2 * h), 1e-5, `dvar/dx${i}`)
      }
      assert.equal(gm[1], 0)
      // Batched predictions see the same features.
      const means = new Float64Array(1)
      const vars = new Float64Array(1)
      gp.predictMany(p0, 1, means, vars)
      close(means[0], gp.predict(p0).mean, 1e-12, 'batched mean')
      close(vars[0], gp.predict(p0).variance, 1e-12, 'batched variance')
    })
  })
