import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRng } from '../rng.ts'
import { SOBOL_MAX_DIMENSION, SobolSequence } from './sobol.ts'

describe('SobolSequence unscrambled', () => {
  test('first 8 points in 2-D match SciPy Sobol(d=2, scramble=False)', () => {
    const points = new SobolSequence(2).take(8)
    assert.deepEqual(points, [
      [0, 0],
      [0.5, 0.5],
      [0.75, 0.25],
      [0.25, 0.75],
      [0.375, 0.375],
      [0.875, 0.875],
      [0.625, 0.125],
      [0.125, 0.625],
    ])
  })

  test('third coordinate matches the Joe–Kuo reference', () => {
    const third = new SobolSequence(3).take(8).map((p) => p[2])
    assert.deepEqual(third, [0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375])
  })

  test('high dimensions match the Joe–Kuo reference generator at later indices', () => {
    // From Joe and Kuo's own recurrence X[i] = X[i-1] ^ V[C[i-1]] (their sobol.cc), run in Python.
    const s = new SobolSequence(SOBOL_MAX_DIMENSION)
    const p = s.at(1099)
    const head = [
      0.4624023438, 0.5874023438, 0.5649414062, 0.1040039062, 0.9711914062, 0.7270507812, 0.1557617188, 0.0639648438,
      0.7358398438, 0.6479492188,
    ]
    for (const [d, x] of head.entries()) assert.ok(Math.abs(p[d] - x) < 1e-10, `dim ${d + 1}: ${p[d]} vs ${x}`)
    assert.deepEqual(p.slice(60, 64), [0.71533203125, 0.41162109375, 0.82568359375, 0.95849609375])
    assert.equal(p[127], 0.23779296875)
  })

  test('next(), at() and skip() agree', () => {
    const a = new SobolSequence(5)
    const b = new SobolSequence(5)
    for (let i = 0; i < 300; i++) assert.deepEqual(a.next(), b.at(i))
    b.skip(300)
    assert.equal(b.index, 300)
    assert.deepEqual(b.next(), a.next())
    assert.deepEqual(new SobolSequence(5).skip(1000).next(), new SobolSequence(5).at(1000))
  })

  test('each 1-D projection of the first 2^k points is a full stratification', () => {
    assertStratified(new SobolSequence(64).take(256), 8)
  })

  test('rejects bad dimensions and indices', () => {
    assert.throws(() => new SobolSequence(0), RangeError)
    assert.throws(() => new SobolSequence(SOBOL_MAX_DIMENSION + 1), RangeError)
    assert.throws(() => new SobolSequence(2, { scramble: true }), RangeError)
    assert.throws(() => new SobolSequence(2).at(-1), RangeError)
    assert.throws(() => new SobolSequence(2).at(2 ** 32), RangeError)
  })
})

describe('SobolSequence scrambled (LMS + digital shift)', () => {
  const scrambled = (seed: number, dim = 16) => {
    const rng = createRng(seed)
    return new SobolSequence(dim, { random: () => rng.random() })
  }

  test('points lie in [0, 1) and the origin is moved', () => {
    const pts = scrambled(1).take(1024)
    for (const p of pts) for (const x of p) assert.ok(x >= 0 && x < 1)
    assert.ok(pts[0].some((x) => x !== 0))
  })

  test('keeps the (0, m, 1) property in every dimension', () => {
    for (const seed of [1, 2, 3]) assertStratified(scrambled(seed, 32).take(512), 9)
  })

  test('keeps 2-D stratification of dims 1 and 2, which form a (0, m, 2)-net', () => {
    // The first two Sobol coordinates form a (0, m, 2)-net: every 2^-a × 2^-(m-a) box holds exactly one of 2^m points.
    const m = 6
    const pts = scrambled(7, 2).take(2 ** m)
    for (let a = 0; a <= m; a++) {
      const seen = new Set<string>()
      for (const [x, y] of pts) seen.add(`${Math.floor(x * 2 ** a)},${Math.floor(y * 2 ** (m - a))}`)
      assert.equal(seen.size, 2 ** m, `boxes 2^-${a} × 2^-${m - a}`)
    }
  })

  test('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(scrambled(42).take(64), scrambled(42).take(64))
    assert.notDeepEqual(scrambled(42).take(4), scrambled(43).take(4))
  })

  test('next(), at() and skip() agree when scrambled', () => {
    const a = scrambled(5)
    const b = scrambled(5)
    for (let i = 0; i < 100; i++) assert.deepEqual(a.next(), b.at(i))
    assert.deepEqual(b.skip(100).next(), a.next())
  })

  test('mean of a smooth integrand converges fast', () => {
    // E[Σ x_d²] over [0,1)^8 is 8/3; at n = 4096 the QMC error is far below plain Monte Carlo's ~1e-2.
    const pts = scrambled(11, 8).take(4096)
    const est = pts.reduce((s, p) => s + p.reduce((t, x) => t + x * x, 0), 0) / pts.length
    assert.ok(Math.abs(est - 8 / 3) < 1e-3, `estimate ${est}`)
  })
})

/** Asserts that, in every dimension, the first 2^k points put exactly one point in each interval [j/2^k, (j+1)/2^k). */
function assertStratified(points: number[][], k: number): void {
  const n = 2 ** k
  assert.equal(points.length, n)
  for (let d = 0; d < points[0].length; d++) {
    const bins = new Set(points.map((p) => Math.floor(p[d] * n)))
    assert.equal(bins.size, n, `dimension ${d + 1} is not stratified`)
  }
}
