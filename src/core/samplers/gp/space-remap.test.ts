import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../../storage/memory/memory-storage.ts'
import type { Distribution, SearchSpace } from '../../distributions/distribution.ts'
import { SearchSpaceError } from '../../errors.ts'
import { fixtureTrial } from '../../schedulers/scheduler-fixtures.ts'
import { Study } from '../../study/study.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { Acquisition } from './acquisition.ts'
import { SpaceEncoding } from './encoding.ts'
import { GpSampler } from './gp-sampler.ts'
import { hullOf, planRemap, RemappedAcquisition } from './space-remap.ts'

const lr: Distribution = { kind: 'float', low: 1e-5, high: 1e-2, log: true }
const drop: Distribution = { kind: 'float', low: 0, high: 0.3, log: false }
const rank: Distribution = { kind: 'categorical', choices: [4, 8, 16, 32] }

function done(params: Record<string, number>, space: SearchSpace, number = 0): FrozenTrial {
  return { ...fixtureTrial({ number, state: 'COMPLETE', value: 1, params }), distributions: space }
}

describe('hullOf', () => {
  test('numbers: the wider range when kind, log flag and step agree', () => {
    assert.deepEqual(hullOf(lr, { ...lr, low: 1e-4, high: 5e-2 }), { ...lr, high: 5e-2 })
    assert.equal(hullOf(lr, { ...lr, log: false }), undefined)
    assert.equal(
      hullOf(
        { kind: 'int', low: 1, high: 9, log: false, step: 2 },
        { kind: 'int', low: 2, high: 8, log: false, step: 2 },
      ),
      undefined,
    )
    assert.deepEqual(
      hullOf(
        { kind: 'int', low: 1, high: 5, log: false, step: 2 },
        { kind: 'int', low: 3, high: 9, log: false, step: 2 },
      ),
      {
        kind: 'int',
        low: 1,
        high: 9,
        log: false,
        step: 2,
      },
    )
  })
  test('categoricals: the union of choices, first one first; never with a number range', () => {
    assert.deepEqual(hullOf({ kind: 'categorical', choices: [16, 32] }, rank), {
      kind: 'categorical',
      choices: [16, 32, 4, 8],
    })
    assert.equal(hullOf(rank, drop), undefined)
  })
})

describe('planRemap', () => {
  const wide = { lr, drop, rank }
  const history = [done({ lr: 1e-3, drop: 0.1, rank: 8 }, wide), done({ lr: 1e-4, drop: 0.2, rank: 32 }, wide, 1)]

  test("no plan while the declared space is the trials' space (the usual path stays as it was)", () => {
    assert.equal(planRemap(history, wide), undefined)
    assert.equal(planRemap([], { lr }), undefined)
  })

  test('a narrowed space: searched as declared, modelled over the hull, fixed parameters held', () => {
    const narrow = {
      lr: { ...lr, low: 1e-4, high: 1e-3 },
      drop: { ...drop, low: 0.1, high: 0.1 },
      rank: { kind: 'categorical', choices: [8, 16] } as Distribution,
    }
    const plan = planRemap(history, narrow)!
    assert.deepEqual(plan.free, { lr: narrow.lr, rank: narrow.rank })
    assert.deepEqual(plan.model, { drop, lr, rank: { kind: 'categorical', choices: [8, 16, 4, 32] } })
    assert.deepEqual(plan.fixed, { drop: 0.1 })
  })

  test('a parameter some trial lacks, or whose axis changed, is left to independent sampling', () => {
    const plan = planRemap(history, { lr: { ...lr, log: false }, drop: { ...drop, high: 0.2 }, extra: drop })!
    assert.deepEqual(Object.keys(plan.model), ['drop'])
    assert.deepEqual(Object.keys(plan.free), ['drop'])
  })
})

describe('RemappedAcquisition', () => {
  const model = new SpaceEncoding({ drop, lr, rank: { kind: 'categorical', choices: [4, 8, 16, 32] } })
  const search = new SpaceEncoding({
    lr: { ...lr, low: 1e-4, high: 1e-3 },
    rank: { kind: 'categorical', choices: [16, 8] },
  })
  // A smooth function of the model inputs, with its gradient.
  const inner: Acquisition = {
    evaluate(x, grad) {
      if (grad) {
        grad.fill(0)
        grad[0] = 2 * x[0]
        grad[1] = Math.cos(3 * x[1]) * 3
      }
      return x[0] ** 2 + Math.sin(3 * x[1]) + x[2]
    },
    evaluateMany(xs, m) {
      return Float64Array.from({ length: m }, (_, c) => this.evaluate(xs.subarray(c * 3, c * 3 + 3)))
    },
  }
  const remapped = new RemappedAcquisition(inner, search, model, { drop: 0.15 })

  test('maps search inputs onto the model axes: same values, wider bounds; choices by value; held values', () => {
    const out = new Float64Array(3)
    remapped.toModel([0, 1], out)
    // lr 1e-4 on [1e-5, 1e-2] in log space is 1/3 of the way; choice 8 is model index 1; drop 0.15 is 1/2.
    assert.ok(Math.abs(out[1] - 1 / 3) < 1e-12)
    assert.equal(out[2], 1)
    assert.ok(Math.abs(out[0] - 0.5) < 1e-12)
    remapped.toModel([1, 0], out)
    assert.ok(Math.abs(out[1] - 2 / 3) < 1e-12)
    assert.equal(out[2], 2)
  })

  test('integer grids: every point of the narrowed grid lands on the same point of the wider one', () => {
    const wideInt = new SpaceEncoding({ ga: { kind: 'int', low: 1, high: 16, log: true, step: 1 } })
    const narrowInt = new SpaceEncoding({ ga: { kind: 'int', low: 4, high: 8, log: true, step: 1 } })
    const map = new RemappedAcquisition(inner, narrowInt, wideInt, {})
    const out = new Float64Array(1)
    for (const v of [4, 5, 6, 7, 8]) {
      map.toModel([narrowInt.encodeValue(0, v)!], out)
      assert.ok(Math.abs(out[0] - wideInt.encodeValue(0, v)!) < 1e-12, `ga ${v}`)
    }
  })

  test('gradient in the search inputs matches finite differences; batch values match single ones', () => {
    const x = Float64Array.from([0.37, 1])
    const g = new Float64Array(2)
    const v = remapped.evaluate(x, g)
    const h = 1e-6
    const up = remapped.evaluate(Float64Array.from([x[0] + h, 1]))
    assert.ok(Math.abs((up - v) / h - g[0]) < 1e-4, `${(up - v) / h} vs ${g[0]}`)
    assert.equal(g[1], 0)
    const many = remapped.evaluateMany(Float64Array.from([0.37, 1, 0.9, 0]), 2)
    assert.equal(many[0], v)
    assert.equal(many[1], remapped.evaluate([0.9, 0]))
  })
})

describe('GpSampler after the space is narrowed in the same study', () => {
  const objective = (p: Record<string, unknown>) =>
    ((p.x as number) - 0.3) ** 2 + ((p.y as number) - 0.72) ** 2 + 0.1 * ((p.z as number) - 0.5) ** 2
  const wide: SearchSpace = {
    x: { kind: 'float', low: 0, high: 1, log: false },
    y: { kind: 'float', low: 0, high: 1, log: false },
    z: { kind: 'float', low: 0, high: 1, log: false },
  }
  const narrow: SearchSpace = {
    x: { kind: 'float', low: 0.1, high: 0.6, log: false },
    y: { kind: 'float', low: 0.5, high: 1, log: false },
    z: { kind: 'float', low: 0.5, high: 0.5, log: false },
  }

  test('proposes inside the new space, from a model of every trial (no fresh start at random)', async () => {
    const study = await Study.create({ storage: new MemoryStorage(), name: 's', sampler: new GpSampler(), seed: 3 })
    for (let n = 0; n < 20; n++) {
      const t = await study.ask(wide)
      await study.tell(t, objective(t.suggested))
    }
    const proposals: number[] = []
    for (let n = 0; n < 4; n++) {
      const t = await study.ask(narrow)
      const p = t.suggested
      assert.ok((p.x as number) >= 0.1 && (p.x as number) <= 0.6 && (p.y as number) >= 0.5 && (p.y as number) <= 1)
      assert.equal(p.z, 0.5)
      proposals.push(objective(p))
      await study.tell(t, objective(p))
    }
    // A random point of the narrowed box has a median objective of about 0.05; the model goes for the optimum.
    assert.ok(Math.min(...proposals) < 0.005, `best of 4 proposals ${Math.min(...proposals)}`)
  })

  test('an enqueued value outside the model space is reported by the trial, not thrown by the sampler', async () => {
    const study = await Study.create({ storage: new MemoryStorage(), name: 's', sampler: new GpSampler(), seed: 3 })
    const withChoice = { ...wide, c: { kind: 'categorical', choices: ['a', 'b'] } as Distribution }
    for (let n = 0; n < 12; n++) {
      const t = await study.ask(withChoice)
      await study.tell(t, objective(t.suggested))
    }
    await study.enqueue({ c: 'zzz' })
    const declared: SearchSpace = { ...narrow, c: withChoice.c }
    const trial = await study.ask(undefined, { declared })
    const x = trial.suggest('x', declared.x) as number
    assert.ok(x >= 0.1 && x <= 0.6)
    assert.throws(() => trial.suggest('c', declared.c), SearchSpaceError)
  })
})
