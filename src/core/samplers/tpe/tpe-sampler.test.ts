import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryStorage } from '../../../storage/memory/memory-storage.ts'
import { containsValue, type SearchSpace } from '../../distributions/distribution.ts'
import { WinnowError } from '../../errors.ts'
import { Study } from '../../study/study.ts'
import type { Direction } from '../../trial/frozen-trial.ts'
import { RandomSampler } from '../random-sampler.ts'
import { hypervolume } from './hypervolume.ts'
import type { TpeSamplerOptions } from './tpe-options.ts'
import { TpeSampler } from './tpe-sampler.ts'

const space: SearchSpace = {
  f: { kind: 'float', low: -3, high: 2, log: false },
  lg: { kind: 'float', low: 1e-6, high: 1e-1, log: true },
  fs: { kind: 'float', low: 0, high: 1, log: false, step: 0.25 },
  i: { kind: 'int', low: 1, high: 9, log: false, step: 1 },
  il: { kind: 'int', low: 1, high: 64, log: true, step: 1 },
  is: { kind: 'int', low: 0, high: 30, log: false, step: 7 },
  c: { kind: 'categorical', choices: ['a', 1, true, null] },
}

const objective = (p: Record<string, unknown>) =>
  ((p.f as number) - 0.5) ** 2 + Math.abs(Math.log10(p.lg as number) + 3) + (p.i as number) / 10 + (p.c === 1 ? 0 : 1)

async function newStudy(opts: TpeSamplerOptions = {}, seed = 1, directions?: Direction[]) {
  return Study.create({ storage: new MemoryStorage(), name: 't', sampler: new TpeSampler(opts), seed, directions })
}

async function run(opts: TpeSamplerOptions, seed: number, n: number) {
  const study = await newStudy(opts, seed)
  for (let k = 0; k < n; k++) {
    const t = await study.ask(space)
    await study.tell(t, objective(t.suggested))
  }
  return study.trials()
}

describe('TpeSampler', () => {
  for (const multivariate of [true, false]) {
    test(`stays in bounds for float, log, int, step and categorical (multivariate=${multivariate})`, async () => {
      const trials = await run({ multivariate, nStartupTrials: 5 }, 7, 40)
      for (const t of trials)
        for (const [name, d] of Object.entries(space))
          assert.ok(containsValue(d, t.params[name]), `${name}=${JSON.stringify(t.params[name])} in trial ${t.number}`)
    })
  }

  test('the same seed gives the same sequence', async () => {
    const a = await run({ nStartupTrials: 5 }, 3, 25)
    const b = await run({ nStartupTrials: 5 }, 3, 25)
    assert.deepEqual(
      a.map((t) => t.params),
      b.map((t) => t.params),
    )
    const c = await run({ nStartupTrials: 5 }, 4, 25)
    assert.notDeepEqual(
      a.map((t) => t.params),
      c.map((t) => t.params),
    )
  })

  test('works on an empty history and spreads startup trials over strata', async () => {
    const study = await newStudy({ nStartupTrials: 10 })
    const xs: number[] = []
    for (let k = 0; k < 10; k++) {
      const t = await study.ask()
      xs.push(t.suggestFloat('x', 0, 1))
      await study.tell(t, 0)
    }
    // Latin-hypercube startup: exactly one value in each tenth of [0, 1].
    assert.deepEqual(
      xs.map((x) => Math.floor(x * 10)).sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    )
  })

  test('learns only from COMPLETE and PRUNED trials: FAIL and NaN trials are ignored', async () => {
    const study = await newStudy({ nStartupTrials: 5 })
    // Failed and NaN trials sit at x = 0.95..0.99; they must neither crash the model nor attract it.
    for (let k = 0; k < 10; k++) {
      const t = await study.ask()
      const x = t.suggestFloat('x', 0, 1)
      if (k % 3 === 0) await study.tell(t, undefined, { state: 'FAIL' })
      else if (k % 3 === 1) await study.tell(t, Number.NaN)
      else await study.tell(t, undefined, { state: 'PRUNED' })
      void x
    }
    for (let k = 0; k < 30; k++) {
      const t = await study.ask()
      const x = t.suggestFloat('x', 0, 1)
      await study.tell(t, (x - 0.2) ** 2)
    }
    const trials = await study.trials()
    assert.equal(trials.filter((t) => t.state === 'FAIL').length, 7)
    const late = trials.slice(-10).map((t) => t.params.x as number)
    assert.ok(late.filter((x) => Math.abs(x - 0.2) < 0.2).length >= 7, `late x: ${late.map((x) => x.toFixed(2))}`)
  })

  for (const group of [false, true]) {
    test(`conditional parameters are sampled in their own branch (group=${group})`, async () => {
      const study = await newStudy({ nStartupTrials: 5, group })
      for (let k = 0; k < 40; k++) {
        const t = await study.ask()
        const kind = t.suggestCategorical('kind', ['a', 'b'])
        const v = kind === 'a' ? t.suggestFloat('xa', 0, 1) : t.suggestInt('nb', 1, 10)
        await study.tell(t, kind === 'a' ? (v - 0.3) ** 2 : 1 + v / 10)
      }
      const trials = await study.trials()
      for (const t of trials) {
        const keys = Object.keys(t.params).sort()
        assert.deepEqual(keys, t.params.kind === 'a' ? ['kind', 'xa'] : ['kind', 'nb'])
      }
      // Branch a is better, so TPE should favour it late in the run.
      assert.ok(trials.slice(-15).filter((t) => t.params.kind === 'a').length >= 10)
    })
  }

  test('constant liar pushes a parallel ask away from the RUNNING trial', async () => {
    // Same history and same second-trial number, with and without the lie: averaged over seeds, the lie moves
    // the second proposal away from the first.
    const distance = async (constantLiar: boolean) => {
      let sum = 0
      for (let seed = 0; seed < 12; seed++) {
        const study = await newStudy({ nStartupTrials: 5, constantLiar }, seed)
        for (let k = 0; k < 12; k++) {
          const t = await study.ask({ x: { kind: 'float', low: 0, high: 1, log: false } })
          await study.tell(t, ((t.suggested.x as number) - 0.5) ** 2)
        }
        const a = await study.ask({ x: { kind: 'float', low: 0, high: 1, log: false } })
        const b = await study.ask({ x: { kind: 'float', low: 0, high: 1, log: false } })
        assert.notEqual(a.suggested.x, b.suggested.x)
        sum += Math.abs((a.suggested.x as number) - (b.suggested.x as number))
      }
      return sum / 12
    }
    const lie = await distance(true)
    const noLie = await distance(false)
    assert.ok(lie > noLie, `mean distance with the lie ${lie.toFixed(4)} vs without ${noLie.toFixed(4)}`)
  })

  test('constraints steer sampling away from an infeasible region (x > 0.5)', async () => {
    const study = await newStudy({}, 5)
    for (let k = 0; k < 60; k++) {
      const t = await study.ask()
      const x = t.suggestFloat('x', 0, 1)
      const y = t.suggestFloat('y', 0, 1)
      // The unconstrained optimum (x = 0.8) is infeasible.
      await study.tell(t, (x - 0.8) ** 2 + (y - 0.5) ** 2, { constraints: [x - 0.5] })
    }
    const late = (await study.trials()).slice(-20)
    const feasible = late.filter((t) => (t.params.x as number) <= 0.5).length
    assert.ok(feasible >= 14, `${feasible}/20 late trials feasible`)
  })

  test('infeasible failures (e.g. out of memory) are learned and avoided', async () => {
    // Larger batches are better until they run out of memory above 16; a plain FAIL would teach nothing.
    const fits = async (constraintAware: boolean) => {
      let ok = 0
      for (const seed of [1, 2, 3]) {
        const study = await newStudy({ constraintAware }, seed)
        for (let k = 0; k < 60; k++) {
          const t = await study.ask()
          const batch = t.suggestInt('batch', 1, 64, { log: true })
          const lr = t.suggestFloat('lr', 1e-4, 1e-1, { log: true })
          if (batch > 16) await study.tell(t, undefined, { state: 'FAIL', systemAttrs: { infeasible: true } })
          else await study.tell(t, -Math.log(batch) + Math.abs(Math.log10(lr) + 2))
        }
        ok += (await study.trials()).slice(-30).filter((t) => (t.params.batch as number) <= 16).length
      }
      return ok
    }
    const aware = await fits(true)
    const blind = await fits(false)
    assert.ok(aware > blind && aware >= 60, `late trials that fit: ${aware}/90 learning from OOM vs ${blind}/90 not`)
  })

  test('multi-objective: proposes valid points and finds a better front than random', async () => {
    const mo = async (sampler: TpeSampler | RandomSampler, seed: number) => {
      const study = await Study.create({
        storage: new MemoryStorage(),
        name: 'mo',
        sampler,
        seed,
        directions: ['minimize', 'minimize'],
      })
      for (let k = 0; k < 60; k++) {
        const t = await study.ask()
        const x = t.suggestFloat('x', 0, 1)
        const y = t.suggestFloat('y', 0, 1)
        const z = t.suggestFloat('z', 0, 1)
        // ZDT1-like: the front is x ∈ [0, 1] with y = z = 0.
        const g = 1 + 4.5 * (y + z)
        await study.tell(t, [x, g * (1 - Math.sqrt(x / g))])
      }
      const front = await study.paretoFront()
      assert.ok(front.length > 0)
      return hypervolume(
        front.map((t) => [...t.values!]),
        [1.1, 6],
      )
    }
    let tpe = 0
    let random = 0
    for (const seed of [1, 2, 3]) {
      tpe += await mo(new TpeSampler(), seed)
      random += await mo(new RandomSampler(), seed)
    }
    assert.ok(tpe > random, `hypervolume TPE ${tpe.toFixed(3)} vs random ${random.toFixed(3)}`)
  })

  test('rejects invalid options with a message naming the option', () => {
    assert.throws(
      () => new TpeSampler({ nEiCandidates: 0 }),
      (e: unknown) => e instanceof WinnowError && /nEiCandidates/.test(e.message),
    )
    assert.throws(() => new TpeSampler({ priorWeight: -1 }), /priorWeight/)
    assert.throws(() => new TpeSampler({ multivariate: false, group: true }), /group/)
  })
})
