import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SearchSpace } from '../../distributions/distribution.ts'
import { SpaceEncoding } from './encoding.ts'

const SPACE: SearchSpace = {
  f: { kind: 'float', low: -2, high: 3, log: false },
  flog: { kind: 'float', low: 1e-5, high: 1e-1, log: true },
  fstep: { kind: 'float', low: 0, high: 1, log: false, step: 0.1 },
  ilog: { kind: 'int', low: 1, high: 1024, log: true, step: 1 },
  cat: { kind: 'categorical', choices: ['a', 1, null] },
}

test('encodes into the unit cube (log in log space, grids widened by half a step) and decodes back', () => {
  const enc = new SpaceEncoding(SPACE)
  const x = new Float64Array(enc.size)
  const p = { f: 0.5, flog: 1e-3, fstep: 0.3, ilog: 32, cat: null }
  assert.ok(enc.encode(p, x))
  assert.ok(Math.abs(x[0] - 0.5) < 1e-12)
  assert.ok(Math.abs(x[1] - 0.5) < 1e-12)
  assert.ok(Math.abs(x[2] - 3.5 / 11) < 1e-12)
  assert.equal(x[4], 2)
  const back = enc.decode(x)
  assert.ok(Math.abs((back.flog as number) - 1e-3) < 1e-15)
  assert.deepEqual({ ...back, flog: 1e-3 }, p)
  assert.deepEqual([...enc.categorical], [0, 0, 0, 0, 1])
  assert.equal(enc.encode({ ...p, cat: 'zzz' }, x), false)
  assert.equal(enc.encode({ f: 1 }, x), false)
})

test('rounding and uniform mapping land on grid points and choices', () => {
  const enc = new SpaceEncoding(SPACE)
  const x = Float64Array.from([1.3, -0.2, 0.52, 0.77, 1.6])
  enc.roundInPlace(x)
  assert.deepEqual([x[0], x[1]], [1, 0])
  assert.equal(x[4], 2)
  const values = enc.decode(x)
  assert.equal(values.fstep, 0.5)
  assert.ok(Number.isInteger(values.ilog))
  const out = new Float64Array(enc.size)
  enc.fromUniform([0.999, 0, 0.999, 0, 0.5], out)
  const v = enc.decode(out)
  assert.equal(v.fstep, 1)
  assert.equal(v.ilog, 1)
  assert.equal(v.cat, 1)
})
