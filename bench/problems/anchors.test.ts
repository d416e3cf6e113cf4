import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  anchorsDir,
  loadAnchors,
  overheadAnchor,
  prunerAnchor,
  prunerAnchors,
  readJsonl,
  samplerAnchor,
  samplerAnchors,
} from './anchors.ts'

/** 3 significant digits, as SUMMARY.md prints them. */
const g3 = (x: number) => Number(x.toPrecision(3))
const dir = anchorsDir()

describe('anchor results (numbers as in results/SUMMARY.md)', { skip: !existsSync(dir) && `missing ${dir}` }, () => {
  it('summarises sampler runs per (problem, sampler, budget)', () => {
    const a = samplerAnchor('branin', 'tpe', 100)!
    assert.equal(a.anchor, 'optuna')
    assert.equal(a.seeds, 20)
    assert.deepEqual([g3(a.regret.median), g3(a.regret.q1), g3(a.regret.q3)], [0.0121, 0.00618, 0.0313])
    assert.equal(g3(a.sampleMsMedian), 12.8)
    assert.equal(a.regretByTrial.length, 100)
    const l = samplerAnchor('lora-sft-surrogate', 'tpe', 300)!
    assert.equal(l.seeds, 10)
    assert.deepEqual([g3(l.regret.median), g3(l.regret.q1), g3(l.regret.q3)], [0.00824, 0.0072, 0.0129])
    assert.equal(g3(samplerAnchor('hartmann6', 'hyperopt_tpe', 300)!.sampleMsMedian), 15.1)
    assert.equal(samplerAnchor('branin', 'tpe', 12345), undefined)
    assert.equal(samplerAnchors().length, 88)
  })

  it('summarises pruner runs (regret at steps, steps to regret targets)', () => {
    const sha = prunerAnchor('sha')!
    assert.equal(sha.seeds, 20)
    assert.deepEqual(
      sha.regretAt.map((r) => g3(r.median)),
      [0.0228, 0.0223, 0.0166],
    )
    assert.deepEqual([g3(sha.finalRegret.q1), g3(sha.finalRegret.q3)], [0.0111, 0.0232])
    assert.deepEqual(
      sha.stepsTo.map((s) => [s.medianSteps, s.reached]),
      [
        [1065, 20],
        [5140, 15],
        [Number.POSITIVE_INFINITY, 4],
      ],
    )
    assert.deepEqual([sha.medianTrials, sha.medianComplete, sha.medianPruned], [652.5, 23.5, 628.5])
    assert.deepEqual(
      prunerAnchors().map((p) => p.pruner),
      ['nop', 'median', 'sha', 'hyperband'],
    )
    assert.equal(prunerAnchor('nop')!.stepsTo[0].medianSteps, 2450)
  })

  it('finds overhead records', () => {
    assert.equal(overheadAnchor('tpe', 100)?.median_ms, 27.167)
  })
})

describe('anchors folder', () => {
  it('honours WINNOW_ANCHORS_DIR and tolerates torn lines and missing files', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'winnow-anchors-'))
    const saved = process.env.WINNOW_ANCHORS_DIR
    try {
      process.env.WINNOW_ANCHORS_DIR = tmp
      assert.equal(anchorsDir(), tmp)
      const run = {
        kind: 'sampler_run',
        anchor: 'optuna',
        problem: 'branin',
        sampler: 'random',
        seed: 0,
        budget: 2,
        batch: 1,
        fstar: 0,
        final_best_observed: 1,
        final_best_clean: 1,
        final_regret: 1,
        best_observed: null,
        best_clean: [2, 1],
        sample_ms: [0.5, 1.5],
      }
      writeFileSync(join(tmp, 'samplers.jsonl'), `${JSON.stringify(run)}\n\n{"kind":"sampler_ru`)
      assert.equal(readJsonl(join(tmp, 'samplers.jsonl')).length, 1)
      const a = samplerAnchor('branin', 'random', 2)!
      // regret uses the current f* of branin, not the stored 0
      assert.ok(Math.abs(a.regret.median - (1 - 0.397887357729738)) < 1e-12)
      assert.equal(a.sampleMsMedian, 1)
      assert.deepEqual(loadAnchors(tmp).prunerRuns, [])
    } finally {
      if (saved === undefined) delete process.env.WINNOW_ANCHORS_DIR
      else process.env.WINNOW_ANCHORS_DIR = saved
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})
