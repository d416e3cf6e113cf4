import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRng } from '../../rng.ts'
import { scalarizeCosts } from './scalarization.ts'
import { warpTargets } from './target-warping.ts'

test('softclip keeps the order, standardises, and compresses only the far bad tail', () => {
  // Scores (higher is better): good runs near −0.9, two diverged runs at −10.4.
  const scores = [-0.91, -0.88, -0.95, -0.9, -0.87, -0.93, -0.89, -0.92, -0.94, -0.86, -10.4, -10.37]
  const plain = warpTargets(scores, 'none')
  const soft = warpTargets(scores, 'softclip')
  const order = (y: ArrayLike<number>) => Array.from(y, (_, i) => i).sort((a, b) => y[a] - y[b])
  assert.deepEqual(order(soft), order(plain))
  const mean = soft.reduce((s, v) => s + v, 0) / soft.length
  const sd = Math.sqrt(soft.reduce((s, v) => s + (v - mean) ** 2, 0) / soft.length)
  assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12)
  // Plain standardisation squeezes the ten good runs into a sliver; the soft clip spreads them out.
  const spread = (y: ArrayLike<number>) =>
    Math.max(...Array.from(y).slice(0, 10)) - Math.min(...Array.from(y).slice(0, 10))
  assert.ok(spread(soft) > 3 * spread(plain), `${spread(soft)} vs ${spread(plain)}`)
  // Without outliers the soft clip changes nothing.
  assert.deepEqual(warpTargets([1, 2, 3, 4, 5], 'softclip'), warpTargets([1, 2, 3, 4, 5], 'none'))
})

test('one objective passes through; several are Chebyshev-scalarised into [0, 1.05]', () => {
  const rng = createRng(1)
  assert.deepEqual([...scalarizeCosts(Float64Array.from([3, 1, 2]), 3, 1, rng)], [3, 1, 2])
  // Two objectives; row 1 dominates row 0, so its scalar cost is lower for any weights.
  const s = scalarizeCosts(Float64Array.from([2, 2, 1, 1, 0, 3, 3, 0]), 4, 2, rng)
  assert.ok(s[1] < s[0])
  for (const v of s) assert.ok(v >= 0 && v <= 1.05 + 1e-12)
})
