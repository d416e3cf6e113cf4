import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import { CONTRACT_SPACE, describeSamplerContract } from '../../testing/sampler-contract.ts'
import { sensitivity } from '../analysis/importance/sensitivity.ts'
import type { SearchSpace } from '../distributions/distribution.ts'
import { samplePrior } from '../distributions/sample-prior.ts'
import { createRng } from '../rng.ts'
import { Study } from '../study/study.ts'
import { OfatSampler, sweepValues } from './ofat-sampler.ts'

const contractBaseline = Object.fromEntries(
  Object.entries(CONTRACT_SPACE).map(([n, d]) => [n, samplePrior(d, createRng(1))]),
)
describeSamplerContract('ofat', {
  create: () => new OfatSampler({ space: CONTRACT_SPACE, baseline: contractBaseline, levels: 3 }),
  capabilities: ['finite'],
})

const space: SearchSpace = {
  lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  batch: { kind: 'categorical', choices: [8, 16, 32] },
  epochs: { kind: 'int', low: 1, high: 3, log: false, step: 1 },
  dropout: { kind: 'float', low: 0, high: 0.4, log: false },
}
const baseline = { lr: 1e-3, batch: 16, epochs: 2, dropout: 0.1 }

test('sweeps each parameter alone: log-spaced levels, every choice, the baseline once', () => {
  const s = new OfatSampler({ space, baseline, levels: 5 })
  // 1 + (5−1) lr + (3−1) batch + (3−1) epochs + (5−1) dropout
  assert.equal(s.size, 1 + 4 + 2 + 2 + 4)
  const q = s.pointsToQueue([])
  assert.deepEqual(q[0], baseline)
  for (const p of q.slice(1)) {
    const changed = Object.keys(baseline).filter((k) => p[k] !== baseline[k as keyof typeof baseline])
    assert.equal(changed.length, 1, JSON.stringify(p))
  }
  const lrs = sweepValues(space.lr, 1e-3, 5) as number[]
  // Grid 1e-5, 1e-4, 1e-3, 1e-2, 1e-1 in log space; 1e-3 is the baseline's own level.
  assert.deepEqual(
    lrs.map((v) => Math.round(Math.log10(v))),
    [-5, -4, -2, -1],
  )
  // A baseline between levels drops the nearest level, so the count stays levels − 1.
  assert.equal(sweepValues(space.dropout, 0.13, 5).length, 4)
  assert.deepEqual(sweepValues(space.batch, 16, 5), [8, 32])
})

test('runs as a finite study, then sensitivity ranks the parameters by the range they move the objective', async () => {
  const f = (p: Record<string, unknown>) =>
    (Math.log10(p.lr as number) + 3) ** 2 + 0.1 * (p.epochs as number) + 0 * (p.dropout as number)
  const sampler = new OfatSampler({ space, baseline, levels: 5 })
  const study = await Study.create({ storage: new MemoryStorage(), name: 'ofat', sampler, seed: 1 })
  await study.optimize(
    (t) => {
      const p = Object.fromEntries(Object.entries(space).map(([n, d]) => [n, t.suggest(n, d)]))
      return f(p)
    },
    { trials: 100 },
  )
  const trials = await study.trials()
  assert.equal(trials.length, sampler.size)
  assert.equal(sampler.isExhausted(trials), true)
  const sens = sensitivity(trials, baseline)
  assert.deepEqual(
    sens.map((s) => s.param),
    ['lr', 'epochs', 'batch', 'dropout'],
  )
  assert.equal(sens[0].points.length, 5)
  assert.ok(Math.abs(sens[0].range - 4) < 1e-9)
  assert.equal(sens.at(-1)!.range, 0)
  assert.equal(sens[0].points.filter((p) => p.isBaseline).length, 1)
})

test('refuses a baseline that is missing a parameter or outside the space', () => {
  assert.throws(() => new OfatSampler({ space, baseline: { lr: 1e-3 } }), /"batch", "epochs", "dropout" have none/)
  assert.throws(() => new OfatSampler({ space, baseline: { ...baseline, batch: 12 } }), /12 of "batch" is not a legal/)
  assert.throws(() => new OfatSampler({ space, baseline, levels: 1 }), /levels must be a whole number >= 2/)
})

test('without the baseline in the queue (winnow tune queues it), the sweep is one trial shorter', () => {
  assert.equal(
    new OfatSampler({ space, baseline, includeBaseline: false }).size,
    new OfatSampler({ space, baseline }).size - 1,
  )
})

test("the sweep's centre is the study's baseline (queued once) unless Study.create is given another", async () => {
  const queued = async (sampler: OfatSampler, opts: { baseline?: Record<string, number> } = {}) => {
    const study = await Study.create({ storage: new MemoryStorage(), name: 'ofat', sampler, seed: 1, ...opts })
    return study.trials()
  }
  const sampler = new OfatSampler({ space, baseline, levels: 5 })
  const own = await queued(sampler)
  assert.equal(own.length, sampler.size, 'the centre is not queued twice')
  assert.deepEqual(
    own.filter((t) => t.systemAttrs.baseline === true).map((t) => [t.number, t.systemAttrs.fixedParams]),
    [[0, baseline]],
  )
  // Another baseline given: it is the reference, and the centre is an ordinary point of the sweep.
  const other = await queued(sampler, { baseline: { ...baseline, lr: 2e-4 } })
  assert.equal(other.length, sampler.size + 1)
  assert.deepEqual(
    other.filter((t) => t.systemAttrs.baseline === true).map((t) => t.systemAttrs.fixedParams),
    [{ ...baseline, lr: 2e-4 }],
  )
  // The same baseline given as well: still one trial for it.
  assert.equal((await queued(sampler, { baseline })).length, sampler.size)
  // A sweep that leaves its centre to the caller (winnow tune) marks nothing.
  const bare = await queued(new OfatSampler({ space, baseline, includeBaseline: false }))
  assert.equal(bare.filter((t) => t.systemAttrs.baseline === true).length, 0)
})
