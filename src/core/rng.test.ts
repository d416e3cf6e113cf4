import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRng, deriveSeed, restoreRng } from './rng.ts'

test('same seed gives the same stream; different seeds differ', () => {
  const a = createRng(42)
  const b = createRng(42)
  const c = createRng(43)
  const xa = Array.from({ length: 5 }, () => a.random())
  assert.deepEqual(
    xa,
    Array.from({ length: 5 }, () => b.random()),
  )
  assert.notDeepEqual(
    xa,
    Array.from({ length: 5 }, () => c.random()),
  )
})

test('derived seeds depend on every part and on order', () => {
  assert.equal(deriveSeed(1, 7), deriveSeed(1, 7))
  assert.notEqual(deriveSeed(1, 7), deriveSeed(1, 8))
  assert.notEqual(deriveSeed(1, 7), deriveSeed(7, 1))
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(0, i)))
  assert.equal(seeds.size, 1000)
})

test('state can be saved and restored', () => {
  const a = createRng(5)
  a.random()
  const b = restoreRng(a.state())
  assert.equal(a.random(), b.random())
})

test('normal variates have mean 0 and variance 1', () => {
  const r = createRng(11)
  const n = 20000
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const z = r.normal()
    s += z
    s2 += z * z
  }
  assert.ok(Math.abs(s / n) < 0.03)
  assert.ok(Math.abs(s2 / n - 1) < 0.04)
})

test('int covers both ends uniformly', () => {
  const r = createRng(2)
  const counts = [0, 0, 0]
  for (let i = 0; i < 3000; i++) counts[r.int(0, 2)]++
  for (const c of counts) assert.ok(c > 900 && c < 1100, String(counts))
})
