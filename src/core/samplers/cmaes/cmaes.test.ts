import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../../storage/memory/memory-storage.ts'
import type { SearchSpace } from '../../distributions/distribution.ts'
import { createRng } from '../../rng.ts'
import { Study } from '../../study/study.ts'
import { CategoricalModel } from './categorical-model.ts'
import { Cma, defaultPopulationSize } from './cma.ts'
import { CMA_ATTR, type CmaTag } from './cma-replay.ts'
import { CmaEsSampler } from './cmaes-sampler.ts'
import { Margin } from './margin.ts'
import { UnitSpace } from './unit-space.ts'

const sphere = (x: readonly number[]) => x.reduce((s, v) => s + v * v, 0)

describe('Cma', () => {
  test('converges on a 6-D sphere and on a rotated ellipsoid', () => {
    const rng = createRng(1)
    const cma = new Cma({ mean: [3, -2, 1, 4, -3, 2], sigma: 1 })
    assert.equal(cma.popsize, defaultPopulationSize(6))
    for (let g = 0; g < 250; g++) {
      const sols = Array.from({ length: cma.popsize }, () => {
        const x = cma.sample(rng)
        return { x, value: sphere(x) }
      })
      cma.tell(sols)
    }
    assert.ok(sphere(cma.mean) < 1e-10, `mean ${cma.mean} not at 0`)

    const ell = (x: readonly number[]) => (x[0] + x[1]) ** 2 * 1e4 + (x[0] - x[1]) ** 2
    const c2 = new Cma({ mean: [1, 1], sigma: 0.5 })
    for (let g = 0; g < 300; g++)
      c2.tell(Array.from({ length: c2.popsize }, () => c2.sample(rng)).map((x) => ({ x, value: ell(x) })))
    assert.ok(ell(c2.mean) < 1e-8, `ellipsoid value ${ell(c2.mean)}`)
  })

  test('stops once the function is flat', () => {
    const rng = createRng(2)
    const cma = new Cma({ mean: [0.5, 0.5], sigma: 0.2 })
    let g = 0
    while (!cma.shouldStop() && g < 200) {
      cma.tell(Array.from({ length: cma.popsize }, () => ({ x: cma.sample(rng), value: 1 })))
      g++
    }
    assert.ok(g > 10 && g < 200, `stopped after ${g} generations`)
  })
})

describe('Margin', () => {
  test('keeps a discrete coordinate able to move off a plateau', () => {
    const rng = createRng(3)
    // Coordinate 0 is an integer 0..4 (unit grid 0, .25, ... 1), coordinate 1 continuous; optimum at int 3.
    const grid = [0, 0.25, 0.5, 0.75, 1]
    const cma = new Cma({ mean: [0.5, 0.5], sigma: 0.2 })
    const margin = new Margin(2, cma.popsize, [{ index: 0, values: grid }])
    const f = (x: readonly number[]) => (x[0] - 0.75) ** 2 + (x[1] - 0.3) ** 2
    const seen = new Set<number>()
    for (let g = 0; g < 150; g++) {
      const sols = Array.from({ length: cma.popsize }, () => {
        const raw = cma.sample(rng)
        const enc = margin.encode(raw, cma.mean)
        seen.add(enc[0])
        assert.ok(grid.includes(enc[0]))
        return { x: raw, value: f(enc) }
      })
      cma.tell(sols)
      margin.correct(cma)
    }
    assert.equal(margin.encode(cma.mean, cma.mean)[0], 0.75)
    assert.ok(Math.abs(cma.mean[1] - 0.3) < 1e-3)
    // With the margin the integer coordinate never freezes: neighbours keep being proposed.
    const late = Array.from({ length: 400 }, () => margin.encode(cma.sample(rng), cma.mean)[0])
    assert.ok(
      late.some((v) => v !== 0.75),
      'the discrete coordinate froze',
    )
  })
})

describe('CategoricalModel', () => {
  test('learns the winning choice and keeps a margin on the others', () => {
    const rng = createRng(4)
    const model = new CategoricalModel([3, 4], 8)
    for (let g = 0; g < 60; g++) {
      const sols = Array.from({ length: 8 }, () => {
        const c = model.sample(rng)
        return { c, value: (c[0] === 2 ? 0 : 1) + (c[1] === 0 ? 0 : 1) }
      })
      model.tell(sols)
    }
    assert.ok(model.q[0][2] > 0.8 && model.q[1][0] > 0.8, JSON.stringify(model.q))
    for (const row of model.q) {
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9)
      assert.ok(
        row.every((p) => p > 0.005),
        'a choice lost all probability',
      )
    }
  })
})

describe('UnitSpace', () => {
  test('maps log, int, step and categorical parameters to the unit cube and back', () => {
    const space: SearchSpace = {
      lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
      n: { kind: 'int', low: 1, high: 5, log: false, step: 1 },
      s: { kind: 'float', low: 0, high: 1, log: false, step: 0.25 },
      c: { kind: 'categorical', choices: ['x', 'y'] },
      fixed: { kind: 'int', low: 2, high: 2, log: false, step: 1 },
    }
    const u = new UnitSpace(space)
    assert.deepEqual(
      u.numeric.map((p) => p.name),
      ['lr', 'n', 's'],
    )
    assert.deepEqual(u.numeric[1].grid, [0, 0.25, 0.5, 0.75, 1])
    const point = u.toUnit({ lr: 1e-3, n: 4, s: 0.5, c: 'y', fixed: 2 })!
    assert.ok(Math.abs(point.x[0] - 0.5) < 1e-12)
    assert.deepEqual(point.c, [1])
    const back = u.fromUnit(point.x, point.c)
    assert.ok(Math.abs((back.lr as number) - 1e-3) < 1e-15)
    assert.deepEqual({ ...back, lr: 0 }, { lr: 0, n: 4, s: 0.5, c: 'y' })
  })
})

async function runStudy(sampler: CmaEsSampler, seed: number, trials: number, f: (p: Record<string, number>) => number) {
  const space: SearchSpace = {
    x: { kind: 'float', low: -5, high: 5, log: false },
    y: { kind: 'float', low: -5, high: 5, log: false },
    k: { kind: 'int', low: -4, high: 4, log: false, step: 1 },
  }
  const study = await Study.create({ storage: new MemoryStorage(), name: 'cma', sampler, seed })
  for (let i = 0; i < trials; i++) {
    const t = await study.ask(space)
    await study.tell(t, f(t.suggested as Record<string, number>))
  }
  return study
}

describe('CmaEsSampler', () => {
  const quad = (p: Record<string, number>) => (p.x - 1) ** 2 + (p.y + 2) ** 2 + (p.k - 2) ** 2

  test('tags each trial with its generation and advances once a population completed', async () => {
    const study = await runStudy(new CmaEsSampler(), 1, 40, quad)
    const tags = (await study.trials()).slice(1).map((t) => t.systemAttrs[CMA_ATTR] as unknown as CmaTag)
    const lambda = defaultPopulationSize(3)
    assert.equal(tags.length, 39)
    assert.ok(tags[0].init !== undefined && tags.slice(1).every((t) => t.init === undefined))
    assert.deepEqual(
      tags.map((t) => t.gen),
      tags.map((_, i) => Math.floor(i / lambda)),
    )
    assert.ok(tags.every((t) => t.x.length === 3 && t.run === 0))
  })

  test('optimises a quadratic with an integer coordinate far better than its start', async () => {
    const study = await runStudy(new CmaEsSampler(), 2, 120, quad)
    const best = await study.bestTrial()
    assert.ok(best!.values![0] < 0.05, `best ${best!.values![0]}`)
    assert.equal(best!.params.k, 2)
  })

  test('its state is rebuilt from history: a fresh instance proposes what the original would', async () => {
    const a = await runStudy(new CmaEsSampler(), 3, 30, quad)
    const storage = a.storage
    const viaOld = await Study.load({ storage, name: 'cma', sampler: new CmaEsSampler() })
    const t = await viaOld.ask()
    const fresh = new CmaEsSampler()
    const ctxTrials = (await viaOld.trials()).filter((x) => x.id !== t.id)
    const ctx = {
      study: viaOld.info,
      trial: t.frozen,
      history: ctxTrials,
      rng: createRng(0),
    }
    const space = fresh.inferRelativeSpace(ctx)
    const p1 = fresh.sampleRelative({ ...ctx, rng: createRng(9) }, space)
    const p2 = new CmaEsSampler().sampleRelative({ ...ctx, rng: createRng(9) }, space)
    assert.deepEqual(p1, p2)
  })

  test('restarts with a doubled population when a run stagnates (IPOP)', async () => {
    const study = await runStudy(new CmaEsSampler({ populationSize: 4 }), 4, 170, () => 1)
    const runs = (await study.trials())
      .map((t) => t.systemAttrs[CMA_ATTR] as unknown as CmaTag | undefined)
      .filter((t) => t !== undefined)
    const restart = runs.find((t) => t.run === 1)
    assert.ok(restart !== undefined, 'no restart after 170 flat trials')
    assert.equal(restart.init?.popsize, 8)
  })

  test('starts from the baseline when one completed (warm start)', async () => {
    const space: SearchSpace = { x: { kind: 'float', low: 0, high: 10, log: false } }
    const study = await Study.create({ storage: new MemoryStorage(), name: 'w', sampler: new CmaEsSampler(), seed: 5 })
    await study.enqueue({ x: 9 }, { systemAttrs: { baseline: true } })
    for (let i = 0; i < 3; i++) {
      const t = await study.ask(space)
      await study.tell(t, (t.suggested.x as number) ** 2)
    }
    const tag = (await study.trials())[1].systemAttrs[CMA_ATTR] as unknown as CmaTag
    assert.ok(Math.abs(tag.init!.mean[0] - 0.9) < 1e-12)
  })

  test('starts from a given x0, filling parameters it lacks with the centre', async () => {
    const space: SearchSpace = {
      x: { kind: 'float', low: 0, high: 10, log: false },
      y: { kind: 'float', low: 0, high: 10, log: false },
    }
    const sampler = new CmaEsSampler({ x0: { x: 2 } })
    const study = await Study.create({ storage: new MemoryStorage(), name: 'x0', sampler, seed: 6 })
    for (let i = 0; i < 2; i++) {
      const t = await study.ask(space)
      await study.tell(t, 1)
    }
    const tag = (await study.trials())[1].systemAttrs[CMA_ATTR] as unknown as CmaTag
    assert.deepEqual(tag.init!.mean, [0.2, 0.5])
  })

  test('rejects a bad sigma0 with the value and a hint', () => {
    assert.throws(() => new CmaEsSampler({ sigma0: 0 }), /sigma0 must be > 0, but got 0/)
  })
})
