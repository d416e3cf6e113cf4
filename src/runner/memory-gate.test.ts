import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { resolveModel } from '../core/memory/index.ts'
import { createMemoryGate, type MemoryGateOptions } from './memory-gate.ts'
import { FIXTURES, makeStudy, testRunner } from './testing/harness.ts'

const options = (limitGb: number): MemoryGateOptions => ({
  input: {
    model: resolveModel('llama-3-8b')!,
    method: 'qlora',
    batchSize: 1,
    seqLen: 2048,
    gradientCheckpointing: true,
  },
  params: { batchSize: 'bs' },
  limitGb,
})

describe('memory gate', () => {
  test('maps parameters onto the memory model', () => {
    const gate = createMemoryGate(options(24))
    const one = gate({ bs: 1 })
    const eight = gate({ bs: 8 })
    assert.equal(one.fits, true)
    assert.equal(eight.fits, false)
    assert.ok(eight.estimateGb > 2 * one.estimateGb)
    assert.equal(eight.limitGb, 24)
  })

  test('a configuration that does not fit is recorded infeasible and never launched', async () => {
    const study = await makeStudy()
    await study.enqueue({ bs: 16 })
    await study.enqueue({ bs: 1 })
    const { runner, dir, events } = testRunner(study, {
      suggest: (t) => {
        t.suggestCategorical('bs', [1, 16])
      },
      gate: createMemoryGate(options(24)),
      budget: { trials: 2 },
      metricsFrom: { protocol: 'stdout' },
      command: () => [
        '/bin/sh',
        '-c',
        `echo "$WINNOW_TRIAL_NUMBER" >> "${join(dir, 'launched')}"; echo 'WINNOW {"type":"complete","metrics":{"eval_loss":1}}'`,
      ],
    })
    const summary = await runner.run()
    assert.equal(summary.failed, 1)
    assert.equal(summary.completed, 1)
    const [big, small] = await study.trials()
    assert.equal(big.state, 'FAIL')
    assert.equal(big.systemAttrs.infeasible, true)
    assert.equal(big.systemAttrs.failure, 'oom-predicted')
    assert.ok((big.systemAttrs.memoryEstimateGb as number) > 24)
    assert.match(big.systemAttrs.failReason as string, /predicted out of memory: estimate [\d.]+ GB > limit 24 GB/)
    assert.equal(small.state, 'COMPLETE')
    assert.ok((small.systemAttrs.memoryEstimateGb as number) < 24)
    assert.deepEqual(readFileSync(join(dir, 'launched'), 'utf8').trim().split('\n'), ['1'], 'only #1 was launched')
    const fin = events.filter((e) => e.type === 'trial-finished')
    assert.equal(fin.length, 2)
  })

  test('a real OOM lowers the limit to its estimate, stored in the study, and blocks larger configurations', async () => {
    const study = await makeStudy()
    const gate = createMemoryGate(options(40))
    for (const bs of [2, 3, 1]) await study.enqueue({ bs })
    assert.ok(gate({ bs: 3 }).fits, 'bs 3 fits the nominal 40 GB')
    const { runner } = testRunner(study, {
      suggest: (t) => {
        t.suggestCategorical('bs', [1, 2, 3])
      },
      gate,
      budget: { trials: 3 },
      metricsFrom: { protocol: 'stdout' },
      command: () => [join(FIXTURES, 'oom.sh')],
    })
    await runner.run()
    const [two, three, one] = await study.trials()
    assert.equal(two.systemAttrs.failure, 'oom')
    assert.equal(two.systemAttrs.memoryEstimateGb, Math.round(gate({ bs: 2 }).estimateGb * 100) / 100)
    assert.equal(three.systemAttrs.failure, 'oom-predicted')
    assert.match(three.systemAttrs.failReason as string, /lowered from 40 GB by real OOMs/)
    assert.equal(one.systemAttrs.failure, 'oom', 'smaller configurations still launch')
    const info = await study.storage.getStudy(study.id)
    assert.equal(info.systemAttrs.memoryLimitGb, two.systemAttrs.memoryEstimateGb)
  })
})
