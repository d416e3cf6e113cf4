import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SearchSpace } from '../../distributions/distribution.ts'
import { createRng } from '../../rng.ts'
import { LogAcquisition } from './acquisition.ts'
import { SpaceEncoding } from './encoding.ts'
import { GpModel } from './gp-model.ts'
import { optimizeAcquisition } from './optimize-acquisition.ts'

const SPACE: SearchSpace = {
  a: { kind: 'float', low: 0, high: 1, log: false },
  b: { kind: 'float', low: 0, high: 1, log: false },
  c: { kind: 'categorical', choices: ['x', 'y', 'z'] },
  n: { kind: 'int', low: 1, high: 8, log: false, step: 1 },
}

/** A GP with one sharp peak at `peak` (short lengthscales): EI is only high in a small ball around it. */
function peakedAcquisition(enc: SpaceEncoding, peak: Float64Array): LogAcquisition {
  const d = enc.size
  const far = Float64Array.from([0.05, 0.95, 0, enc.dims[3].kind === 'discrete' ? enc.dims[3].grid[0] : 0])
  const x = new Float64Array(2 * d)
  x.set(peak)
  x.set(far, d)
  const model = new GpModel(
    { x, y: Float64Array.from([2, -1]), n: 2, d, categorical: enc.categorical },
    { invSqLengthscales: Float64Array.from([2500, 2500, 3, 2500]), scale: 1, noise: 1e-6 },
  )
  return new LogAcquisition(model, 2, [])
}

test('anchored candidates find a narrow acquisition peak that a tiny Sobol set misses, on a legal point', () => {
  const enc = new SpaceEncoding(SPACE)
  const peak = new Float64Array(enc.size)
  assert.ok(enc.encode({ a: 0.63, b: 0.37, c: 'z', n: 5 }, peak))
  const acq = peakedAcquisition(enc, peak)
  const rng = createRng(7)
  const opts = { nCandidates: 8, nLocalSearchStarts: 0, maxIterations: 0, random: () => rng.random() }
  const plain = optimizeAcquisition(acq, enc, opts)
  const anchored = optimizeAcquisition(acq, enc, { ...opts, anchors: [peak] })
  assert.ok(anchored.value > plain.value, `anchored ${anchored.value} vs plain ${plain.value}`)
  const p = enc.decode(anchored.x)
  assert.ok(Math.abs((p.a as number) - 0.63) < 0.2 && Math.abs((p.b as number) - 0.37) < 0.2, JSON.stringify(p))
  assert.ok(['x', 'y', 'z'].includes(p.c as string) && Number.isInteger(p.n) && (p.n as number) >= 1)
})
