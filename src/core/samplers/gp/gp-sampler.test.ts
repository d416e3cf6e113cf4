import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../../storage/memory/memory-storage.ts'
import { containsValue, type ParamValues, type SearchSpace } from '../../distributions/distribution.ts'
import { WinnowError } from '../../errors.ts'
import { Study } from '../../study/study.ts'
import { RandomSampler } from '../random-sampler.ts'
import type { Sampler } from '../sampler.ts'
import { GpSampler } from './gp-sampler.ts'

const MIXED: SearchSpace = {
  x: { kind: 'float', low: -1, high: 2, log: false },
  lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  n: { kind: 'int', low: 1, high: 64, log: true, step: 1 },
  k: { kind: 'int', low: 0, high: 10, log: false, step: 2 },
  c: { kind: 'categorical', choices: ['a', 'b', 'c'] },
}

const mixedObjective = (p: ParamValues) =>
  ((p.x as number) - 0.7) ** 2 +
  (Math.log10(p.lr as number) + 3) ** 2 / 4 +
  Math.abs(Math.log2(p.n as number) - 3) / 6 +
  ((p.k as number) - 4) ** 2 / 50 +
  (p.c === 'b' ? 0 : 0.5)

async function run(sampler: Sampler, space: SearchSpace, f: (p: ParamValues) => number, trials: number, seed: number) {
  const study = await Study.create({ storage: new MemoryStorage(), name: 's', sampler, seed })
  for (let i = 0; i < trials; i++) {
    const t = await study.ask(space)
    await study.tell(t, f(t.suggested))
  }
  return study
}

const branin = (p: ParamValues) => {
  const x1 = p.x1 as number
  const x2 = p.x2 as number
  const b = 5.1 / (4 * Math.PI ** 2)
  return (x2 - b * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10
}
const BRANIN: SearchSpace = {
  x1: { kind: 'float', low: -5, high: 10, log: false },
  x2: { kind: 'float', low: 0, high: 15, log: false },
}

describe('GpSampler', () => {
  test('rejects bad options with the value and a hint', () => {
    assert.throws(
      () => new GpSampler({ nStartupTrials: -1 }),
      (e: unknown) => e instanceof WinnowError && /-1/.test(e.message),
    )
    assert.throws(() => new GpSampler({ targetWarping: 'log' as never }), /targetWarping/)
    assert.throws(() => new GpSampler({ nCandidates: 0.5 }), /nCandidates/)
    assert.throws(() => new GpSampler({ sampleAroundBest: 1 as never }), /sampleAroundBest/)
    assert.throws(() => new GpSampler({ additiveKernel: 'yes' as never }), /additiveKernel/)
    assert.throws(() => new GpSampler({ categoricalRanks: 0 as never }), /categoricalRanks/)
    assert.throws(() => new GpSampler({ inputWarping: 'on' as never }), /inputWarping/)
  })

  test('defaults: additive kernel and rank features on, input warping off', () => {
    const o = new GpSampler().options
    assert.equal(o.additiveKernel, true)
    assert.equal(o.categoricalRanks, true)
    assert.equal(o.inputWarping, false)
  })

  test('stays in bounds on a mixed space and is deterministic for a seed', async () => {
    const runOnce = async () => {
      const study = await run(new GpSampler({ nStartupTrials: 5, nCandidates: 256 }), MIXED, mixedObjective, 20, 3)
      return (await study.trials()).map((t) => t.params)
    }
    const a = await runOnce()
    const b = await runOnce()
    assert.deepEqual(a, b)
    for (const p of a)
      for (const [name, d] of Object.entries(MIXED)) assert.ok(containsValue(d, p[name]), `${name}=${p[name]}`)
    // The model phase found the good categorical at least once.
    assert.ok(a.slice(5).some((p) => p.c === 'b'))
  })

  test('two asks with a RUNNING trial in between propose different points', async () => {
    const study = await run(new GpSampler({ nStartupTrials: 5, nCandidates: 256 }), BRANIN, branin, 12, 5)
    const first = await study.ask(BRANIN)
    const second = await study.ask(BRANIN)
    assert.notDeepEqual(first.suggested, second.suggested)
    const dist = Math.hypot(
      ((first.suggested.x1 as number) - (second.suggested.x1 as number)) / 15,
      ((first.suggested.x2 as number) - (second.suggested.x2 as number)) / 15,
    )
    assert.ok(dist > 1e-3, `points only ${dist} apart`)
  })

  test('learns constraints: the infeasible half-plane is avoided after warm-up', async () => {
    // Minimise the distance to (0.9, 0.9) subject to x + y <= 1: the optimum (0.5, 0.5) lies on the boundary.
    const space: SearchSpace = {
      x: { kind: 'float', low: 0, high: 1, log: false },
      y: { kind: 'float', low: 0, high: 1, log: false },
    }
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'c',
      sampler: new GpSampler({ nStartupTrials: 8, nCandidates: 512 }),
      seed: 2,
    })
    for (let i = 0; i < 30; i++) {
      const t = await study.ask(space)
      const { x, y } = t.suggested as { x: number; y: number }
      await study.tell(t, (x - 0.9) ** 2 + (y - 0.9) ** 2, { constraints: [x + y - 1] })
    }
    const late = (await study.trials()).slice(15)
    const feasible = late.filter((t) => (t.params.x as number) + (t.params.y as number) <= 1.02)
    assert.ok(feasible.length >= 12, `only ${feasible.length}/15 late trials (nearly) feasible`)
    const best = Math.min(
      ...(await study.trials())
        .filter((t) => (t.params.x as number) + (t.params.y as number) <= 1)
        .map((t) => t.values![0]),
    )
    assert.ok(best < 0.32 + 0.02, `best feasible value ${best} (optimum 0.32)`)
  })

  test('learns from FAIL trials marked infeasible (out of memory)', async () => {
    const space: SearchSpace = { bs: { kind: 'float', low: 0, high: 1, log: false } }
    const study = await Study.create({
      storage: new MemoryStorage(),
      name: 'oom',
      sampler: new GpSampler({ nStartupTrials: 6, nCandidates: 256 }),
      seed: 4,
    })
    // Larger is better, but above 0.6 the run goes out of memory.
    let oomLate = 0
    for (let i = 0; i < 24; i++) {
      const t = await study.ask(space)
      const bs = t.suggested.bs as number
      if (bs > 0.6) {
        if (i >= 12) oomLate++
        await study.tell(t, undefined, { state: 'FAIL', systemAttrs: { infeasible: true } })
      } else await study.tell(t, -bs)
    }
    assert.ok(oomLate <= 4, `${oomLate}/12 late trials went out of memory`)
    const best = Math.min(...(await study.trials()).filter((t) => t.state === 'COMPLETE').map((t) => t.values![0]))
    assert.ok(best < -0.5, `best ${best}`)
  })

  test('beats random search on Branin at 40 trials (median over 3 seeds)', async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]
    const bestOf = async (make: () => Sampler, seed: number) => {
      const study = await run(make(), BRANIN, branin, 40, seed)
      return (await study.bestTrial())!.values![0] - 0.397887
    }
    const gp: number[] = []
    const rnd: number[] = []
    for (const seed of [1, 2, 3]) {
      gp.push(await bestOf(() => new GpSampler({ nCandidates: 512 }), seed))
      rnd.push(await bestOf(() => new RandomSampler(), seed))
    }
    assert.ok(median(gp) < median(rnd) / 5, `GP regret ${gp} vs random ${rnd}`)
    assert.ok(median(gp) < 0.05, `GP regret ${gp}`)
  })
})
