import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import type { Distribution, SearchSpace } from '../distributions/distribution.ts'
import { Study } from '../study/study.ts'
import { fromUnit, QmcSampler } from './qmc-sampler.ts'

const space: SearchSpace = {
  x: { kind: 'float', low: 0, high: 8, log: false },
  y: { kind: 'float', low: 0, high: 8, log: false },
  c: { kind: 'categorical', choices: ['a', 'b', 'c', 'd'] },
}

async function run(seed: number, n: number, concurrency = 1) {
  const study = await Study.create({ storage: new MemoryStorage(), name: 'q', sampler: new QmcSampler(), seed })
  await study.optimize(
    async (t) => {
      const x = t.suggestFloat('x', 0, 8)
      t.suggestFloat('y', 0, 8)
      t.suggestCategorical('c', ['a', 'b', 'c', 'd'])
      await Promise.resolve()
      return x
    },
    { trials: n, concurrency },
  )
  return study.trials()
}

describe('QmcSampler', () => {
  test('a block of 2^m trial numbers fills every cell equally (Sobol balance)', async () => {
    const trials = await run(1, 128)
    const block = trials.filter((t) => t.number >= 64 && t.number < 128)
    const cells = new Map<string, number>()
    for (const t of block) {
      const key = `${Math.floor(t.params.x as number)}`
      cells.set(key, (cells.get(key) ?? 0) + 1)
    }
    assert.deepEqual([...cells.values()], new Array(8).fill(8))
    const pairs = new Map<string, number>()
    for (const t of block)
      pairs.set(
        `${Math.floor((t.params.x as number) / 2)},${t.params.c}`,
        1 + (pairs.get(`${Math.floor((t.params.x as number) / 2)},${t.params.c}`) ?? 0),
      )
    assert.equal(pairs.size, 16)
  })

  test('the point depends on the trial number and the study seed only, so workers draw distinct points', async () => {
    const serial = await run(2, 24)
    const parallel = await run(2, 24, 4)
    const key = (t: { number: number; params: object }) => `${t.number}:${JSON.stringify(t.params)}`
    // Trials asked before the first one completed are random (4 in flight at once); every later trial is the
    // sequence's point at its number, whoever asked it.
    assert.deepEqual(serial.slice(4).map(key), parallel.slice(4).map(key))
    assert.equal(new Set(serial.map((t) => t.params.x)).size, 24)
    const other = await run(3, 24)
    assert.notDeepEqual(other.slice(1).map(key), serial.slice(1).map(key))
  })

  test('maps the unit interval onto each distribution prior', () => {
    const lg: Distribution = { kind: 'float', low: 1e-4, high: 1, log: true }
    assert.ok(Math.abs((fromUnit(lg, 0.5) as number) - 1e-2) < 1e-12)
    const st: Distribution = { kind: 'int', low: 2, high: 11, log: false, step: 3 }
    assert.deepEqual(
      [0, 0.24, 0.26, 0.99].map((u) => fromUnit(st, u)),
      [2, 2, 5, 11],
    )
    const il: Distribution = { kind: 'int', low: 1, high: 100, log: true, step: 1 }
    assert.equal(fromUnit(il, 0), 1)
    assert.equal(fromUnit(il, 0.9999999), 100)
    assert.equal(fromUnit({ kind: 'categorical', choices: [1, 'x', null] }, 0.5), 'x')
    assert.equal(fromUnit(space.x, 0.25), 2)
  })
})
