import assert from 'node:assert/strict'
import { test } from 'node:test'
import { containsValue, isSingleValued, type ParamValues, type SearchSpace } from '../distributions/distribution.ts'
import { focusSpace } from './focus.ts'
import { fanovaImportance } from './importance/fanova.ts'
import { randomTrials } from './importance/importance-fixtures.ts'

const space: SearchSpace = {
  lr: { kind: 'float', low: 1e-6, high: 1e-2, log: true },
  rank: { kind: 'categorical', choices: [4, 8, 16, 32, 64] },
  epochs: { kind: 'int', low: 1, high: 10, log: false, step: 1 },
  dropout: { kind: 'float', low: 0, high: 0.5, log: false, step: 0.05 },
  decay: { kind: 'float', low: 0, high: 0.3, log: false },
}
const f = (p: ParamValues) =>
  (Math.log10(p.lr as number) + 4) ** 2 +
  Math.abs(Math.log2(p.rank as number) - 4) +
  0.05 * ((p.epochs as number) - 3) ** 2
const trials = randomTrials(space, f, { n: 120, seed: 3, noise: 0.01 })

test('keeps the important parameters, narrows them around the top trials, fixes the rest at the best', () => {
  const ranked = fanovaImportance(trials, { seed: 0 })
  assert.deepEqual(
    ranked
      .slice(0, 3)
      .map((e) => e.param)
      .sort(),
    ['epochs', 'lr', 'rank'],
  )
  const r = focusSpace(space, trials, ranked, { keep: 3, quantile: 0.2 })
  assert.deepEqual(r.narrowed.map((n) => n.param).sort(), ['epochs', 'lr', 'rank'])
  assert.deepEqual(Object.keys(r.fixed).sort(), ['decay', 'dropout'])
  for (const [k, v] of Object.entries(r.fixed)) {
    assert.equal(v, r.best.params[k])
    assert.ok(isSingleValued(r.space[k]))
  }
  // The best trial and every top trial lie inside the focused space (kept parameters).
  for (const t of r.top) for (const n of r.narrowed) assert.ok(containsValue(n.to, t.params[n.param]), n.param)
  for (const [k, d] of Object.entries(r.space)) assert.ok(containsValue(d, r.best.params[k]), k)
  const lr = r.space.lr
  assert.ok(lr.kind === 'float' && lr.log && lr.low >= 1e-6 && lr.high <= 1e-2)
  // Narrowed in log space: the optimum 1e-4 is inside and the range shrank by at least a decade.
  assert.ok(lr.kind === 'float' && lr.low < 1e-4 && lr.high > 1e-4 && Math.log10(lr.high / lr.low) < 3)
  const epochs = r.space.epochs
  assert.ok(epochs.kind === 'int' && Number.isInteger(epochs.low) && Number.isInteger(epochs.high))
  assert.ok(epochs.kind === 'int' && epochs.high - epochs.low < 9)
  const rank = r.space.rank
  assert.ok(rank.kind === 'categorical' && rank.choices.includes(16) && rank.choices.length < 5)
  assert.equal(r.top.length, 24)
})

test('widening is clipped to the original range and stepped floats stay on their grid', () => {
  const ranked = [
    { param: 'dropout', importance: 0.5 },
    { param: 'decay', importance: 0.3 },
  ]
  const r = focusSpace(space, trials, ranked, { keep: 2, quantile: 1, widen: 5 })
  assert.deepEqual(r.space.decay, space.decay)
  const dropout = r.space.dropout
  assert.ok(dropout.kind === 'float' && dropout.low === 0 && dropout.high === 0.5)
  const tight = focusSpace(space, trials, ranked, { keep: 1, quantile: 0.05 })
  const d = tight.space.dropout
  assert.ok(d.kind === 'float' && d.step === 0.05)
  for (const v of [d.low, d.high]) assert.ok(Math.abs(v / 0.05 - Math.round(v / 0.05)) < 1e-9, String(v))
})

test('maximize picks the top from the other end, and a baseline replaces the best for fixed values', () => {
  const ranked = [{ param: 'lr', importance: 1 }]
  const min = focusSpace(space, trials, ranked, { keep: 1 })
  const max = focusSpace(space, trials, ranked, { keep: 1, direction: 'maximize' })
  assert.notEqual(min.best.number, max.best.number)
  const baseline = { lr: 1e-4, rank: 8, epochs: 2, dropout: 0.1, decay: 0 }
  const b = focusSpace(space, trials, ranked, { keep: 1, baseline })
  assert.deepEqual(b.fixed, { rank: 8, epochs: 2, dropout: 0.1, decay: 0 })
})

test('rejects bad options and an empty history with clear messages', () => {
  assert.throws(() => focusSpace(space, trials, [], { keep: -1 }), /keep must be a whole number >= 0/)
  assert.throws(() => focusSpace(space, trials, [], { keep: 1, quantile: 0 }), /quantile must be in \(0, 1\]/)
  assert.throws(() => focusSpace(space, [], [], { keep: 1 }), /at least one COMPLETE trial/)
})

test('a continuous parameter tried on a grid is narrowed out to the levels beside the best ones', () => {
  const lrs = [1e-4, 1e-3, 1e-2]
  const grid = lrs.flatMap((lr, i) =>
    [0.1, 0.2, 0.3, 0.4].map((dropout, j) => ({
      ...randomTrials(space, f, { n: 1, seed: 1 })[0],
      number: 4 * i + j,
      params: { lr, dropout },
      values: [(Math.log10(lr) + 3) ** 2 + dropout / 100],
    })),
  )
  const s: SearchSpace = { lr: space.lr, dropout: { kind: 'float', low: 0, high: 0.5, log: false } }
  const r = focusSpace(s, grid, [{ param: 'lr', importance: 1 }], { keep: 1, quantile: 0.2 })
  // The top trials all hold lr = 1e-3; nothing between 1e-4 and 1e-2 was tried, so the range reaches them.
  assert.deepEqual(r.space.lr, { kind: 'float', low: 1e-4, high: 1e-2, log: true })
})
