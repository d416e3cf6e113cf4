import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import type { SearchSpace } from '../distributions/distribution.ts'
import { Study } from '../study/study.ts'
import { GridSampler, gridFromSpace } from './grid-sampler.ts'
import { OfatSampler } from './ofat-sampler.ts'

const space: SearchSpace = {
  lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  r: { kind: 'categorical', choices: [8, 16] },
}
const queued = async (s: Study) =>
  (await s.trials()).filter((t) => t.state === 'WAITING').map((t) => t.systemAttrs.fixedParams)

test('a grid study created elsewhere (as `winnow focus` does) gets its points queued when loaded', async () => {
  const storage = new MemoryStorage()
  await storage.createStudy({ name: 'g', directions: ['minimize'], metricNames: ['value'] })
  const grid = new GridSampler({ grid: { lr: [1e-4, 1e-3], r: [8, 16] } })
  const s = await Study.create({ storage, name: 'g', sampler: grid, loadIfExists: true, queueMissingPoints: true })
  assert.equal((await queued(s)).length, 4)
  // Loading again queues nothing more.
  const again = await Study.create({ storage, name: 'g', sampler: grid, loadIfExists: true, queueMissingPoints: true })
  assert.equal((await queued(again)).length, 4)
})

test('a continued grid study whose space grew queues only the new points', async () => {
  const storage = new MemoryStorage()
  const s = await Study.create({ storage, name: 'g', sampler: new GridSampler({ grid: { lr: [1e-3], r: [8, 16] } }) })
  for (let i = 0; i < 2; i++) await s.tell(await s.ask(space), i)
  const grown = new GridSampler({ grid: { lr: [1e-3], r: [8, 16, 32] } })
  const s2 = await Study.create({ storage, name: 'g', sampler: grown, loadIfExists: true, queueMissingPoints: true })
  assert.deepEqual(await queued(s2), [{ lr: 1e-3, r: 32 }])
  const t = await s2.ask({
    lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
    r: { kind: 'categorical', choices: [8, 16, 32] },
  })
  assert.equal(t.suggested.r, 32)
  await s2.tell(t, 0)
  assert.equal(grown.isExhausted?.(await s2.trials()), true)
})

test('a baseline equal to a grid level (up to floating noise) is not queued twice', async () => {
  const storage = new MemoryStorage()
  const grid = new GridSampler({ grid: gridFromSpace(space, { levels: 5 }) })
  const s = await Study.create({ storage, name: 'b', sampler: grid, baseline: { lr: 1e-3, r: 16 } })
  const trials = await s.trials()
  assert.equal(trials.length, 10, '5 × 2 points, the baseline one of them')
  assert.equal(trials[0].systemAttrs.baseline, true)
  const noisy = { lr: Math.exp(Math.log(1e-5) + (Math.log(1e-1) - Math.log(1e-5)) / 2), r: 16 }
  assert.notEqual(noisy.lr, 1e-3, 'the arithmetic this guards against')
  assert.equal(new GridSampler({ grid: { lr: [noisy.lr], r: [16] } }).pointsToQueue(trials).length, 0)
})

test('an OFAT sweep made for a focused study is queued around its baseline', async () => {
  const storage = new MemoryStorage()
  await storage.createStudy({ name: 'o', directions: ['minimize'], metricNames: ['value'] })
  const baseline = { lr: 1e-3, r: 16 }
  const ofat = new OfatSampler({ space, baseline, levels: 3, includeBaseline: false })
  const s = await Study.create({
    storage,
    name: 'o',
    sampler: ofat,
    baseline,
    loadIfExists: true,
    queueMissingPoints: true,
  })
  // Loaded (not created): the baseline is the caller's to queue (winnow tune does); the sweep points are queued.
  assert.deepEqual(await queued(s), [
    { lr: 1e-5, r: 16 },
    { lr: 1e-1, r: 16 },
    { lr: 1e-3, r: 8 },
  ])
})

test('without queueMissingPoints a load queues nothing (a joining worker); a withdrawn point is queued again', async () => {
  const storage = new MemoryStorage()
  await storage.createStudy({ name: 'g', directions: ['minimize'], metricNames: ['value'] })
  const grid = new GridSampler({ grid: { lr: [1e-4, 1e-3] } })
  const worker = await Study.create({ storage, name: 'g', sampler: grid, loadIfExists: true })
  assert.equal((await queued(worker)).length, 0)
  const setUp = await Study.create({ storage, name: 'g', sampler: grid, loadIfExists: true, queueMissingPoints: true })
  const [first] = await setUp.trials()
  await storage.setTrialState(first.id, 'PRUNED', { expectedState: 'WAITING', systemAttrs: { notRun: true } })
  const again = await Study.create({ storage, name: 'g', sampler: grid, loadIfExists: true, queueMissingPoints: true })
  assert.deepEqual(await queued(again), [{ lr: 1e-3 }, { lr: 1e-4 }], 'the withdrawn 1e-4 point is queued again')
})
