import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRng } from '../rng.ts'
import { hypervolume, hypervolumeOf } from './hypervolume.ts'

/** Inclusion–exclusion over every subset: exact and independent of the algorithms under test (small sets only). */
function inclusionExclusion(points: number[][], ref: number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]))
  let total = 0
  for (let mask = 1; mask < 1 << inside.length; mask++) {
    const members = inside.filter((_, i) => mask & (1 << i))
    const corner = ref.map((_, k) => Math.max(...members.map((p) => p[k])))
    const vol = corner.reduce((s, v, k) => s * (ref[k] - v), 1)
    total += (members.length % 2 === 1 ? 1 : -1) * vol
  }
  return total
}

describe('hypervolume', () => {
  test('hand-computed 1-D, 2-D and 3-D values', () => {
    assert.equal(hypervolume([[2], [3]], [5]), 3)
    assert.equal(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
      6,
    )
    assert.equal(hypervolume([[1, 1, 1]], [2, 2, 2]), 1)
    // Two boxes of 4 and 2 overlapping in a unit cube.
    assert.equal(
      hypervolume(
        [
          [0, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
      5,
    )
    // A single 4-D box goes through the general (WFG) path.
    assert.equal(hypervolume([[1, 1, 1, 1]], [3, 3, 3, 3]), 16)
  })

  test('ignores dominated points, duplicates, and points not better than the reference point', () => {
    const front = [
      [1, 3],
      [3, 1],
    ]
    const base = hypervolume(front, [4, 4])
    assert.equal(hypervolume([...front, [2, 3.5], [1, 3], [5, 0], [0, 4]], [4, 4]), base)
    assert.equal(hypervolume([], [1, 1]), 0)
  })

  test('matches inclusion–exclusion on random sets in 2 to 5 objectives', () => {
    const rng = createRng(11)
    for (const d of [2, 3, 4, 5])
      for (let rep = 0; rep < 8; rep++) {
        const pts = Array.from({ length: 2 + rng.int(0, 7) }, () => Array.from({ length: d }, () => rng.random()))
        const ref = new Array(d).fill(1.1)
        const got = hypervolume(pts, ref)
        const want = inclusionExclusion(pts, ref)
        assert.ok(Math.abs(got - want) < 1e-12, `d=${d}: ${got} vs ${want}`)
      }
  })

  test('handles maximised objectives through hypervolumeOf', () => {
    // Maximise accuracy, minimise cost: (acc 0.9, cost 2) and (acc 0.8, cost 1) against ref (acc 0.5, cost 3).
    const hv = hypervolumeOf(
      [
        [0.9, 2],
        [0.8, 1],
      ],
      [0.5, 3],
      ['maximize', 'minimize'],
    )
    assert.ok(Math.abs(hv - (0.4 * 1 + 0.3 * 1)) < 1e-12)
  })

  test('rejects a reference point of the wrong size, naming the values', () => {
    assert.throws(() => hypervolume([[1, 2]], [3]), /has 2 objectives but the reference point has 1/)
    assert.throws(() => hypervolume([[1]], [Number.NaN]), /finite reference point/)
  })
})
