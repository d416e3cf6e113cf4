import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import { Study } from '../study/study.ts'
import { AutoSampler } from './auto-sampler.ts'

async function history(opts: {
  conditional?: boolean
  directions?: ('minimize' | 'maximize')[]
  trials: number
  pruneEvery?: number
}) {
  const study = await Study.create({ storage: new MemoryStorage(), name: 'a', seed: 1, directions: opts.directions })
  for (let i = 0; i < opts.trials; i++) {
    const t = await study.ask()
    const x = t.suggestFloat('x', 0, 1)
    t.suggestCategorical('c', ['a', 'b'])
    if (opts.conditional && i % 2 === 0) t.suggestInt('n', 1, 4)
    if (opts.pruneEvery !== undefined && i % opts.pruneEvery !== 0) {
      await t.report(1, x + 1)
      await study.tell(t, undefined, { state: 'PRUNED' })
    } else await study.tell(t, opts.directions?.length === 2 ? [x, 1 - x] : x)
  }
  return { study: study.info, history: await study.trials() }
}

test('auto picks GP for a flat single-objective space (categoricals included), TPE otherwise', async () => {
  const auto = new AutoSampler({ gpUpTo: 20 })
  assert.equal(auto.choose(await history({ trials: 0 })).name, 'gp')
  assert.equal(auto.choose(await history({ trials: 12 })).name, 'gp')
  assert.equal(auto.choose(await history({ trials: 12, conditional: true })).name, 'tpe')
  assert.equal(auto.choose(await history({ trials: 6, directions: ['minimize', 'minimize'] })).name, 'tpe')
  assert.equal(auto.choose(await history({ trials: 20 })).name, 'tpe', 'long studies hand over to TPE')
  // A GP fits only COMPLETE trials; once a scheduler prunes most trials, TPE (which ranks pruned ones) takes over.
  assert.equal(auto.choose(await history({ trials: 12, pruneEvery: 4 })).name, 'tpe', 'mostly pruned')
  assert.equal(auto.choose(await history({ trials: 12, pruneEvery: 2 })).name, 'gp', 'half pruned')
  // With a scheduler that stops trials early, TPE from the first trial.
  const mf = new AutoSampler({ multiFidelity: true })
  assert.equal(mf.choose(await history({ trials: 0 })).name, 'tpe')
  assert.equal(mf.choose(await history({ trials: 12 })).name, 'tpe')
})

test('auto runs a study end to end and stays in bounds', async () => {
  const study = await Study.create({ storage: new MemoryStorage(), name: 'b', seed: 2, sampler: new AutoSampler() })
  await study.optimize((t) => (t.suggestFloat('x', -3, 3) - 1) ** 2 + (t.suggestCategorical('c', [0, 1]) as number), {
    trials: 25,
  })
  const best = await study.bestTrial()
  assert.ok(best !== undefined && best.values![0] < 0.5, `best ${best?.values}`)
})
