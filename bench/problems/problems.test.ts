import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { validateDistribution } from '../../src/core/distributions/distribution.ts'
import { branin } from './continuous.ts'
import { curveOf, getProblem, isCurveProblem, problemIssues, problemNames, problems } from './index.ts'
import { LORA_XSTAR, loraCanonical, loraCurves, loraKappa, loraSurrogate, loraTerms } from './lora.ts'
import { floatHex, hashNormal, noiseKey } from './noise.ts'

const REF = fileURLToPath(new URL('../../../shared/bench/reference_values.jsonl', import.meta.url))

/** Relative error ≤ 1e-9 (PROBLEMS.md); values within 1e-12 of 0 compare absolutely (e.g. ackley at 0 is 4e-16). */
function close(actual: number, expected: number, what: string, rel = 1e-9): void {
  const tol = Math.max(rel * Math.abs(expected), 1e-12)
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`)
}

interface RefLine {
  problem: string
  params: Record<string, number | string>
  seed: number
  clean?: number
  observed?: number
  canonical?: string
  z?: number
  kappa?: number
  curve?: number[]
}

describe('reference_values.jsonl', { skip: !existsSync(REF) && `missing ${REF}` }, () => {
  const lines: RefLine[] = existsSync(REF)
    ? readFileSync(REF, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l))
    : []

  it('covers every public problem', () => {
    assert.ok(lines.length >= 238, `only ${lines.length} lines`)
    assert.deepEqual(new Set(lines.map((l) => l.problem)), new Set(problemNames))
  })

  it('reproduces every line (clean, observed, canonical, z, kappa, all 100 curve steps)', () => {
    let checked = 0
    lines.forEach((r, n) => {
      const at = `line ${n + 1} (${r.problem}, seed ${r.seed})`
      const p = getProblem(r.problem)
      if (r.curve) {
        assert.ok(isCurveProblem(p))
        assert.equal(r.curve.length, p.maxStep)
        close(loraKappa(r.params, r.seed), r.kappa!, `${at} kappa`)
        const { observed } = curveOf(p, r.params, r.seed)
        for (let t = 0; t < observed.length; t++) close(observed[t], r.curve![t], `${at} step ${t + 1}`)
        assert.equal(observed[99], p.evaluate(r.params, r.seed).observed, `${at}: loss(100) = surrogate observed`)
        checked += 100
        return
      }
      const e = p.evaluate(r.params, r.seed)
      close(e.clean, r.clean!, `${at} clean`)
      close(e.observed, r.observed!, `${at} observed`)
      if (r.canonical !== undefined) {
        assert.equal(loraCanonical(r.params), r.canonical, `${at} canonical`)
        close(hashNormal(noiseKey(r.problem, r.seed, r.canonical, 'final')), r.z!, `${at} z`)
      }
      if (!p.noisy) assert.equal(e.observed, e.clean)
      checked += 1
    })
    assert.ok(checked > 8000)
  })
})

describe('noise', () => {
  it('encodes floats as IEEE-754 big-endian hex', () => {
    assert.equal(floatHex(1e-4), '3f1a36e2eb1c432d')
    assert.equal(floatHex(0.15), '3fc3333333333333')
    assert.equal(floatHex(1), '3ff0000000000000')
  })

  it('reproduces the worked example of PROBLEMS.md §0', () => {
    const centre = {
      learning_rate: 1e-4,
      lora_r: 32,
      lora_alpha_ratio: 2,
      per_device_batch_size: 4,
      grad_accum: 8,
      warmup_ratio: 0.1,
      weight_decay: 0.15,
      lr_scheduler: 'cosine',
      epochs: 3,
      lora_dropout: 0.15,
    }
    const canon = loraCanonical(centre)
    assert.equal(
      canon,
      'epochs=3;grad_accum=8;learning_rate=3f1a36e2eb1c432d;lora_alpha_ratio=2;lora_dropout=3fc3333333333333;' +
        'lora_r=32;lr_scheduler=cosine;per_device_batch_size=4;warmup_ratio=3fb999999999999a;weight_decay=3fc3333333333333',
    )
    const key = noiseKey('lora-sft-surrogate', 0, canon, 'final')
    const h = createHash('sha256').update(key).digest()
    assert.equal(h.toString('hex'), '8260e1005ec423fba34d8d258fed8ba008ae3061fb5e64fc0bacd35d52e63909')
    assert.equal(Number(h.readBigUInt64BE(0) >> 11n), 4587283307812996)
    assert.equal(Number(h.readBigUInt64BE(8) >> 11n), 5745711227469233)
    close(hashNormal(key), -0.7522088969585499, 'N')
    const e = loraSurrogate.evaluate(centre, 0)
    close(e.clean, 1.3652037167245676, 'clean')
    close(e.observed, 1.3576816277549821, 'observed')
  })

  it('accepts categorical labels for their choices and rejects bad values by name', () => {
    const asLabels = { ...LORA_XSTAR, lora_r: '64', lora_alpha_ratio: '4', per_device_batch_size: '1' }
    assert.deepEqual(loraSurrogate.evaluate(asLabels, 3), loraSurrogate.evaluate(LORA_XSTAR, 3))
    assert.throws(() => loraSurrogate.evaluate({ ...LORA_XSTAR, lora_r: 12 }, 0), /lora_r.*one of/)
    assert.throws(() => loraSurrogate.evaluate({ ...LORA_XSTAR, epochs: 2.5 }, 0), /epochs.*integer/)
    const { grad_accum: _, ...missing } = LORA_XSTAR
    assert.throws(() => loraSurrogate.evaluate(missing, 0), /grad_accum/)
    assert.throws(() => getProblem('branin').evaluate({ x0: 'a', x1: 1 }, 0), /x0.*number/)
  })

  it('gives independent noise per seed and repeatable values per (params, seed)', () => {
    const a = loraSurrogate.evaluate(LORA_XSTAR, 1)
    assert.deepEqual(loraSurrogate.evaluate(LORA_XSTAR, 1), a)
    assert.notEqual(loraSurrogate.evaluate(LORA_XSTAR, 2).observed, a.observed)
    assert.equal(loraSurrogate.evaluate(LORA_XSTAR, 2).clean, a.clean)
  })
})

describe('optima', () => {
  it('every problem reaches f* at its listed minimiser', () => {
    for (const p of Object.values(problems)) {
      assert.ok(p.xstar, `${p.name} has xstar`)
      const { clean } = p.evaluate(p.xstar, 0)
      close(clean, p.fstar, `${p.name} clean(xstar)`, 1e-12)
      assert.ok(p.fstar <= clean + 1e-12, `${p.name}: f* above a found value`)
    }
  })

  it('matches the f* values of PROBLEMS.md', () => {
    const table: Record<string, number> = {
      branin: 0.397887357729738,
      hartmann3: -3.862779787332663,
      hartmann6: -3.322368011415515,
      rosenbrock4: 0,
      ackley5: 0,
      styblinski_tang8: 8 * -39.16616570377142,
      levy10: 0,
      'lora-sft-surrogate': 1.2888157323434537,
      'lora-sft-curves': 1.2888157323434537,
    }
    for (const [name, fstar] of Object.entries(table)) close(getProblem(name).fstar, fstar, name, 1e-15)
  })

  it('branin has its three minimisers', () => {
    for (const x of [
      [-Math.PI, 12.275],
      [Math.PI, 2.275],
      [9.42478, 2.475],
    ])
      close(branin(x), 0.397887357729738, `branin(${x})`, 1e-9)
  })

  it('the surrogate has the four alpha-ratio optima and both batch factorisations (§3.4)', () => {
    const lrs: Record<number, number> = { 0.5: 4.26481e-4, 1: 2.1324e-4, 2: 1.0662e-4, 4: 5.33101e-5 }
    for (const [a, lrTable] of Object.entries(lrs)) {
      for (const [bs, ga] of [
        [1, 6],
        [2, 3],
      ]) {
        const base = { ...LORA_XSTAR, lora_alpha_ratio: Number(a), per_device_batch_size: bs, grad_accum: ga }
        const lr = 10 ** loraTerms({ ...base, learning_rate: 1 }).m
        close(lr, lrTable, `optimal lr for ratio ${a}`, 1e-5)
        close(loraSurrogate.evaluate({ ...base, learning_rate: lr }, 0).clean, loraSurrogate.fstar, `ratio ${a}`, 1e-12)
      }
    }
  })
})

describe('lora-sft-curves', () => {
  it('ends at the surrogate value; clean curve is seed independent and ends at the clean value', () => {
    const p = loraCurves
    const end = p.evaluateAt(LORA_XSTAR, 5, 100)
    assert.deepEqual(end, p.evaluate(LORA_XSTAR, 5))
    assert.deepEqual(end, loraSurrogate.evaluate(LORA_XSTAR, 5))
    assert.equal(p.evaluateAt(LORA_XSTAR, 5, 40).clean, p.evaluateAt(LORA_XSTAR, 9, 40).clean)
    const { clean } = curveOf(p, LORA_XSTAR, 0)
    close(clean[0], 2.0, 'starts near 2.0', 0.05)
    for (let t = 1; t < 100; t++) assert.ok(clean[t] <= clean[t - 1], 'clean curve decreases for a good config')
  })

  it('rejects steps outside 1..100', () => {
    for (const s of [0, 101, 1.5]) assert.throws(() => loraCurves.evaluateAt(LORA_XSTAR, 0, s), RangeError)
  })
})

describe('registry', () => {
  it('lists every public problem with a valid shape and space', () => {
    assert.deepEqual(problemNames, [
      'branin',
      'hartmann3',
      'hartmann6',
      'rosenbrock4',
      'ackley5',
      'styblinski_tang8',
      'levy10',
      'lora-sft-surrogate',
      'lora-sft-curves',
    ])
    for (const p of Object.values(problems)) {
      assert.deepEqual(problemIssues(p), [], p.name)
      for (const [n, d] of Object.entries(p.space)) validateDistribution(n, d)
    }
    assert.equal(Object.keys(getProblem('levy10').space).length, 10)
    assert.equal(Object.keys(getProblem('lora-sft-surrogate').space).length, 10)
  })

  it('names the valid problems for an unknown name', () => {
    assert.throws(() => getProblem('nope'), /Unknown problem "nope".*branin.*lora-sft-curves/s)
    assert.throws(() => getProblem('toString'), /Unknown problem/)
  })
})
