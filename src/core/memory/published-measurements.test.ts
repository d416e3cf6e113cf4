import assert from 'node:assert/strict'
import { test } from 'node:test'
import { estimateMemory } from './estimate-memory.ts'
import { resolveModel } from './model-catalog.ts'
import { PUBLISHED_MEASUREMENTS } from './published-measurements.ts'

/** Each estimate must be within this share of the published figure (for "fits within N": at most N). */
const TOLERANCE = 0.25

for (const p of PUBLISHED_MEASUREMENTS) {
  test(`${p.label}: within ±${TOLERANCE * 100}% of ${p.publishedGb.toFixed(1)} GB (${p.source})`, () => {
    const model = resolveModel(p.model)
    assert.ok(model, `unknown model ${p.model}`)
    const e = estimateMemory({ model, ...p.input })
    const error = e.totalGb / p.publishedGb - 1
    if (p.kind === 'fits-within') {
      assert.ok(e.totalGb <= p.publishedGb, `estimate ${e.totalGb.toFixed(2)} GB exceeds ${p.publishedGb} GB`)
      assert.ok(error > -0.4, `estimate ${e.totalGb.toFixed(2)} GB is implausibly far below ${p.publishedGb} GB`)
    } else
      assert.ok(Math.abs(error) <= TOLERANCE, `estimate ${e.totalGb.toFixed(2)} GB, error ${(error * 100).toFixed(1)}%`)
  })
}
