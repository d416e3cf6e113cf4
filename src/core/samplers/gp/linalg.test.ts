import assert from 'node:assert/strict'
import { test } from 'node:test'
import { choleskyInPlace, choleskyInverse, choleskySolve } from './linalg.ts'

function spd(n: number): Float64Array {
  // A = Bᵀ·B + n·I with a fixed pseudo-random B.
  const b = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 12.9898) * 0.5)
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0
      for (let k = 0; k < n; k++) s += b[k * n + i] * b[k * n + j]
      a[i * n + j] = s
    }
  return a
}

test('Cholesky factor, solve and inverse reproduce A', () => {
  const n = 7
  const a = spd(n)
  const l = Float64Array.from(a)
  assert.ok(choleskyInPlace(l, n))
  const inv = choleskyInverse(l, n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let llt = 0
      let ai = 0
      for (let k = 0; k < n; k++) {
        llt += l[i * n + k] * l[j * n + k]
        ai += a[i * n + k] * inv[k * n + j]
      }
      assert.ok(Math.abs(llt - a[i * n + j]) < 1e-10)
      assert.ok(Math.abs(ai - (i === j ? 1 : 0)) < 1e-10)
    }
  const b = Float64Array.from({ length: n }, (_, i) => i - 3)
  const x = choleskySolve(l, n, b)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let k = 0; k < n; k++) s += a[i * n + k] * x[k]
    assert.ok(Math.abs(s - b[i]) < 1e-10)
  }
})

test('a matrix that is not positive definite is reported', () => {
  assert.equal(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2), false)
})
