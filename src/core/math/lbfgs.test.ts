import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { minimizeLbfgsB, type Objective } from './lbfgs.ts'

/** Chained Rosenbrock Σ 100(x_{i+1} - x_i²)² + (1 - x_i)², with its gradient. */
const rosenbrock: Objective = (x, g) => {
  let f = 0
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i]
    const b = 1 - x[i]
    f += 100 * a * a + b * b
    g[i] += -400 * x[i] * a - 2 * b
    g[i + 1] += 200 * a
  }
  return f
}

const tight = { gtol: 1e-10, ftol: 0 }

describe('minimizeLbfgsB', () => {
  test('2-D Rosenbrock from (-1.2, 1) converges to (1, 1)', () => {
    const r = minimizeLbfgsB(rosenbrock, [-1.2, 1], tight)
    assert.ok(r.f < 1e-10, `f = ${r.f}`)
    assert.ok(r.converged, r.message)
    for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5)
    assert.ok(r.iterations < 100, `took ${r.iterations} iterations`)
  })

  test('10-D Rosenbrock converges to all ones', () => {
    const r = minimizeLbfgsB(rosenbrock, new Float64Array(10), tight)
    assert.ok(r.f < 1e-10, `f = ${r.f} (${r.message})`)
    for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5)
  })

  test('a quadratic whose optimum is outside the box lands on the right face', () => {
    const c = [2, -3, 0.5, 7]
    const quad: Objective = (x, g) => {
      let f = 0
      for (let i = 0; i < x.length; i++) {
        // Coupled through x0·x1 so that the free and bound variables interact.
        f += (i + 1) * (x[i] - c[i]) ** 2
        g[i] += 2 * (i + 1) * (x[i] - c[i])
      }
      f += 0.5 * x[0] * x[1]
      g[0] += 0.5 * x[1]
      g[1] += 0.5 * x[0]
      return f
    }
    const r = minimizeLbfgsB(quad, [0.5, 0.5, 0.5, 0.5], {
      lower: [0, 0, 0, Number.NEGATIVE_INFINITY],
      upper: [1, 1, 1, 5],
      ...tight,
    })
    // x0 and x3 sit on their upper bounds, x1 on its lower bound, x2 is interior at its free optimum.
    assert.ok(r.converged, r.message)
    assert.deepEqual(
      Array.from(r.x, (v) => Math.round(v * 1e9) / 1e9),
      [1, 0, 0.5, 5],
    )
  })

  test('bounded Rosenbrock with the optimum clipped lands on (0.5, 0.25)', () => {
    // For fixed x0 the best x1 is x0², and (1 - x0)² falls as x0 rises to its bound 0.5.
    const r = minimizeLbfgsB(rosenbrock, [-1.5, 2], { lower: [-2, -2], upper: [0.5, 2], ...tight })
    assert.ok(r.converged, r.message)
    assert.ok(Math.abs(r.x[0] - 0.5) < 1e-12)
    assert.ok(Math.abs(r.x[1] - 0.25) < 1e-7)
    assert.ok(Math.abs(r.f - 0.25) < 1e-12)
  })

  test('backtracks from trial points where f is NaN or Infinity', () => {
    // x - log(x) is NaN for x < 0 and +Infinity at 0; the secant step from x = 10 overshoots to about -72.
    let bad = 0
    const f: Objective = (x, g) => {
      const v = x[0] - Math.log(x[0])
      if (!Number.isFinite(v)) bad++
      g[0] = 1 - 1 / x[0]
      return v
    }
    const r = minimizeLbfgsB(f, [10], tight)
    assert.ok(bad > 0, 'the test should have hit the undefined region')
    assert.ok(r.converged, r.message)
    assert.ok(Math.abs(r.x[0] - 1) < 1e-8)
    assert.ok(Math.abs(r.f - 1) < 1e-15)
  })

  test('reports a non-finite start instead of iterating', () => {
    const r = minimizeLbfgsB(() => Number.NaN, [0])
    assert.equal(r.converged, false)
    assert.equal(r.iterations, 0)
  })

  test('clips the start into the box and keeps every iterate inside', () => {
    const seen: number[][] = []
    const f: Objective = (x, g) => {
      seen.push(Array.from(x))
      g[0] = 2 * (x[0] + 3)
      g[1] = 2 * (x[1] - 3)
      return (x[0] + 3) ** 2 + (x[1] - 3) ** 2
    }
    const r = minimizeLbfgsB(f, [10, -10], { lower: [-1, -1], upper: [1, 1] })
    assert.deepEqual(Array.from(r.x), [-1, 1])
    for (const [a, b] of seen) assert.ok(a >= -1 && a <= 1 && b >= -1 && b <= 1)
  })

  test('stops at maxIter without claiming convergence', () => {
    const r = minimizeLbfgsB(rosenbrock, [-1.2, 1], { maxIter: 3, ...tight })
    assert.equal(r.iterations, 3)
    assert.equal(r.converged, false)
  })

  test('rejects inconsistent bounds', () => {
    assert.throws(() => minimizeLbfgsB(rosenbrock, [0, 0], { lower: [1, 0], upper: [0, 1] }), RangeError)
    assert.throws(() => minimizeLbfgsB(rosenbrock, [0, 0], { lower: [0] }), RangeError)
  })
})
