import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../../storage/memory/memory-storage.ts'
import type { SearchSpace } from '../../distributions/distribution.ts'
import { createRng } from '../../rng.ts'
import { Study } from '../../study/study.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import { constrainedDominates, crowdingDistance, nonDominatedSort } from './non-dominated-sort.ts'
import { Nsga2Sampler } from './nsga2-sampler.ts'
import { generationOf, parentPopulation } from './population.ts'
import { polynomialMutation, sbx } from './variation.ts'

const fake = (number: number, values: number[], constraints?: number[]): FrozenTrial =>
  ({
    number,
    state: 'COMPLETE',
    values,
    params: {},
    systemAttrs: constraints ? { constraints } : {},
  }) as unknown as FrozenTrial

describe('non-dominated sort and crowding', () => {
  test('splits points into fronts', () => {
    const pts = [
      [1, 5],
      [2, 2],
      [5, 1],
      [3, 3],
      [4, 4],
      [2, 6],
    ]
    const dom = (i: number, j: number) => pts[i].every((v, k) => v <= pts[j][k]) && pts[i].some((v, k) => v < pts[j][k])
    assert.deepEqual(nonDominatedSort(pts.length, dom), [[0, 1, 2], [3, 5], [4]])
  })

  test('crowding distance: extremes infinite, inner points by neighbour gaps', () => {
    const d = crowdingDistance([
      [0, 4],
      [1, 2],
      [2, 1],
      [4, 0],
    ])
    assert.equal(d[0], Number.POSITIVE_INFINITY)
    assert.equal(d[3], Number.POSITIVE_INFINITY)
    assert.ok(Math.abs(d[1] - (2 / 4 + 3 / 4)) < 1e-12)
    assert.ok(Math.abs(d[2] - (3 / 4 + 2 / 4)) < 1e-12)
  })

  test('constrained domination: feasible first, then smaller violation', () => {
    const dirs = ['minimize', 'minimize'] as const
    const feasibleBad = fake(0, [9, 9], [0])
    const infeasibleGood = fake(1, [0, 0], [0.5])
    const infeasibleWorse = fake(2, [0, 0], [2])
    assert.equal(constrainedDominates(feasibleBad, infeasibleGood, dirs), true)
    assert.equal(constrainedDominates(infeasibleGood, feasibleBad, dirs), false)
    assert.equal(constrainedDominates(infeasibleGood, infeasibleWorse, dirs), true)
  })
})

describe('variation operators', () => {
  test('SBX and polynomial mutation stay in the unit cube and move points', () => {
    const rng = createRng(1)
    let moved = 0
    for (let k = 0; k < 500; k++) {
      const a = [rng.random(), 0, 1]
      const b = [rng.random(), 1, 0]
      const c = polynomialMutation(sbx(a, b, rng), rng, 0.5)
      assert.ok(
        c.every((v) => v >= 0 && v <= 1),
        JSON.stringify(c),
      )
      if (c[0] !== a[0] && c[0] !== b[0]) moved++
    }
    assert.ok(moved > 200, `only ${moved} children differ from their parents`)
  })
})

describe('Nsga2Sampler', () => {
  const space: SearchSpace = {
    x0: { kind: 'float', low: 0, high: 1, log: false },
    x1: { kind: 'float', low: 0, high: 1, log: false },
    x2: { kind: 'float', low: 0, high: 1, log: false },
    n: { kind: 'int', low: 0, high: 4, log: false, step: 1 },
    c: { kind: 'categorical', choices: ['a', 'b', 'c'] },
  }
  const zdt = (p: Record<string, unknown>): [number, number] => {
    const f1 = p.x0 as number
    const g = 1 + (9 * ((p.x1 as number) + (p.x2 as number) + (p.n as number) / 4)) / 3 + (p.c === 'b' ? 0 : 0.5)
    return [f1, g * (1 - Math.sqrt(f1 / g))]
  }

  test('tags generations, keeps populations, and rebuilds parents from history', async () => {
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'mo',
      sampler: new Nsga2Sampler({ populationSize: 6 }),
      seed: 1,
      directions: ['minimize', 'minimize'],
    })
    for (let i = 0; i < 30; i++) {
      const t = await study.ask(space)
      await study.tell(t, zdt(t.suggested))
    }
    const trials = await study.trials()
    // Trial 0 is sampled before any space is known and counts as generation 0; then six per generation.
    assert.deepEqual(
      trials.map(generationOf),
      Array.from({ length: 30 }, (_, i) => Math.floor(i / 6)),
    )
    const parents = parentPopulation(trials, 4, 6, ['minimize', 'minimize'])
    assert.equal(parents.length, 6)
    assert.ok(parents.every((p) => generationOf(p.trial) < 4))
    assert.equal(parents[0].rank, 0)
  })
})
