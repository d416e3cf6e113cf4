import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { estimateMemory, loraParams } from './estimate-memory.ts'
import { correctedLimit, fitsUnder } from './limit-correction.ts'
import { knownModelNames, normalizeModelName, resolveModel } from './model-catalog.ts'
import { totalParams } from './model-shape.ts'

const GIB = 1024 ** 3
const model = (name: string) => {
  const m = resolveModel(name)
  assert.ok(m, `unknown model ${name}`)
  return m
}

describe('model catalogue', () => {
  test('parameter counts implied by the shapes match the published sizes (±1.5%)', () => {
    const published: Record<string, number> = {
      'llama-2-7b': 6.74e9,
      'llama-2-13b': 13.0e9,
      'llama-2-70b': 69.0e9,
      'llama-3-8b': 8.03e9,
      'llama-3-70b': 70.6e9,
      'mistral-7b': 7.24e9,
      'qwen2.5-0.5b': 0.494e9,
      'qwen2.5-7b': 7.62e9,
      'qwen2.5-72b': 72.7e9,
      'gemma-2-2b': 2.61e9,
      'gemma-2-9b': 9.24e9,
      'gemma-2-27b': 27.2e9,
      'phi-3-mini': 3.82e9,
      'tinyllama-1.1b': 1.1e9,
      'llama-65b': 65.2e9,
    }
    for (const [name, n] of Object.entries(published)) {
      const got = totalParams(model(name))
      assert.ok(Math.abs(got / n - 1) < 0.015, `${name}: ${got} vs ${n}`)
    }
  })

  test('Hugging Face ids and release suffixes resolve to the catalogue', () => {
    assert.equal(normalizeModelName('meta-llama/Meta-Llama-3.1-8B-Instruct'), 'llama-3-8b')
    assert.equal(normalizeModelName('Qwen/Qwen2.5-0.5B-Instruct'), 'qwen2.5-0.5b')
    assert.equal(normalizeModelName('mistralai/Mistral-7B-Instruct-v0.3'), 'mistral-7b')
    assert.equal(normalizeModelName('microsoft/Phi-3-mini-4k-instruct'), 'phi-3-mini')
    assert.equal(normalizeModelName('TinyLlama/TinyLlama-1.1B-Chat-v1.0'), 'tinyllama-1.1b')
    assert.equal(normalizeModelName('google/gemma-2-9b-it'), 'gemma-2-9b')
    assert.equal(normalizeModelName('meta-llama/Llama-2-7b-hf'), 'llama-2-7b')
    assert.equal(resolveModel('no-such-model-3b'), undefined)
    assert.ok(knownModelNames().includes('gpt2-xl'))
  })
})

describe('estimateMemory', () => {
  test('full fine-tuning in mixed precision with AdamW costs 16 bytes per parameter plus 2 for the half copy', () => {
    const m = model('llama-2-7b')
    const e = estimateMemory({ model: m, method: 'full', batchSize: 1, seqLen: 16, cudaContextGb: 0 })
    const p = totalParams(m)
    assert.ok(Math.abs(e.weightsGb * GIB - 6 * p) < 1)
    assert.ok(Math.abs(e.gradientsGb * GIB - 4 * p) < 1)
    assert.ok(Math.abs(e.optimizerGb * GIB - 8 * p) < 1)
    assert.equal(e.trainableParams, p)
  })

  test('QLoRA stores linear weights in ~4.13 bits and keeps embeddings in 16-bit', () => {
    const m = model('llama-3-8b')
    const q = estimateMemory({ model: m, method: 'qlora', batchSize: 1, seqLen: 1, loraRank: 8 })
    const l = estimateMemory({ model: m, method: 'lora', batchSize: 1, seqLen: 1, loraRank: 8 })
    // 6.98B linear params: 16-bit ≈ 13.0 GiB, NF4 + double quant ≈ 3.36 GiB; embeddings + head ≈ 1.96 GiB either way.
    assert.ok(l.weightsGb - q.weightsGb > 9.3 && l.weightsGb - q.weightsGb < 9.9, `${l.weightsGb} ${q.weightsGb}`)
    assert.ok(q.weightsGb > 5.2 && q.weightsGb < 5.8, String(q.weightsGb))
    const noDq = estimateMemory({ model: m, method: 'qlora', batchSize: 1, seqLen: 1, doubleQuant: false })
    assert.ok(noDq.weightsGb > q.weightsGb + 0.3, 'double quantisation saves ~0.37 bits per parameter')
  })

  test('LoRA parameters are rank × (in + out) per adapted layer', () => {
    const m = model('llama-2-7b')
    assert.equal(loraParams(m, 8, 'qv'), 32 * 2 * 8 * (4096 + 4096))
    assert.ok(loraParams(m, 16, 'all-linear') > loraParams(m, 16, 'attention'))
    const r8 = estimateMemory({ model: m, method: 'lora', batchSize: 1, seqLen: 128, loraRank: 8 })
    const r64 = estimateMemory({ model: m, method: 'lora', batchSize: 1, seqLen: 128, loraRank: 64 })
    assert.ok(r64.optimizerGb > 7.9 * r8.optimizerGb && r64.optimizerGb < 8.1 * r8.optimizerGb)
  })

  test('activations grow linearly with batch × length; checkpointing keeps one block plus the block inputs', () => {
    const m = model('llama-3-8b')
    const at = (batchSize: number, seqLen: number, gradientCheckpointing = false) =>
      estimateMemory({ model: m, method: 'qlora', batchSize, seqLen, gradientCheckpointing })
    assert.ok(Math.abs(at(4, 1024).activationsGb - 2 * at(2, 1024).activationsGb) < 1e-9)
    assert.ok(Math.abs(at(2, 2048).activationsGb - at(4, 1024).activationsGb) < 1e-9)
    const ratio = at(1, 2048).activationsGb / at(1, 2048, true).activationsGb
    assert.ok(ratio > 10 && ratio < 32, `checkpointing saves ${ratio}x`)
    assert.ok(at(1, 4096).logitsGb > 7.5, '128k-vocabulary logits in fp32 dominate at long context')
  })

  test('eager attention adds the seq² attention probabilities; flash attention does not', () => {
    const m = model('gpt2')
    const flash = estimateMemory({ model: m, method: 'full', batchSize: 8, seqLen: 1024 })
    const eager = estimateMemory({ model: m, method: 'full', batchSize: 8, seqLen: 1024, attention: 'eager' })
    // 12 heads × 1024 positions of bf16 probabilities per token, per layer.
    const extra = (8 * 1024 * 12 * 12 * 1024 * 2) / GIB
    assert.ok(Math.abs(eager.activationsGb - flash.activationsGb - extra) < 1e-9)
  })

  test('8-bit and paged optimizers, optimizer-in-backward, ZeRO and SGD change the parts they should', () => {
    const m = model('qwen2.5-1.5b')
    const base = { model: m, method: 'full', batchSize: 1, seqLen: 512 } as const
    const adam = estimateMemory(base)
    assert.ok(Math.abs(estimateMemory({ ...base, optimizer: 'adamw-8bit' }).optimizerGb * 4 - adam.optimizerGb) < 1e-9)
    const paged = estimateMemory({ ...base, optimizer: 'paged-adamw-8bit' })
    assert.equal(paged.optimizerGb, 0)
    assert.ok(paged.pagedOptimizerGb > 0 && paged.totalGb < adam.totalGb)
    assert.equal(estimateMemory({ ...base, optimizer: 'sgd' }).optimizerGb, 0)
    assert.equal(estimateMemory({ ...base, optimizerInBackward: true }).gradientsGb, 0)
    const z3 = estimateMemory({ ...base, zeroStage: 3, numGpus: 4 })
    assert.ok(Math.abs(z3.weightsGb * 4 - adam.weightsGb) < 1e-9)
    assert.ok(Math.abs(z3.optimizerGb * 4 - adam.optimizerGb) < 1e-9)
    const z1 = estimateMemory({ ...base, zeroStage: 1, numGpus: 4 })
    assert.equal(z1.weightsGb, adam.weightsGb)
    assert.equal(z1.gradientsGb, adam.gradientsGb)
  })

  test('DPO: two sequences per example and a reference model', () => {
    const m = model('qwen2.5-0.5b')
    const sft = estimateMemory({ model: m, method: 'full', batchSize: 2, seqLen: 1024 })
    const dpo = estimateMemory({
      model: m,
      method: 'full',
      batchSize: 2,
      seqLen: 1024,
      sequencesPerSample: 2,
      referenceModel: true,
    })
    assert.ok(Math.abs(dpo.activationsGb - 2 * sft.activationsGb) < 1e-9)
    assert.ok(Math.abs(dpo.weightsGb - sft.weightsGb - (totalParams(m) * 2) / GIB) < 1e-9)
  })

  test('the total is the sum of the parts (paged states excluded)', () => {
    const e = estimateMemory({
      model: model('mistral-7b'),
      method: 'lora',
      batchSize: 2,
      seqLen: 1024,
      optimizer: 'paged-adamw',
    })
    const sum = e.weightsGb + e.gradientsGb + e.optimizerGb + e.activationsGb + e.logitsGb + e.overheadGb
    assert.ok(Math.abs(sum - e.totalGb) < 1e-9)
  })
})

describe('correctedLimit', () => {
  test('an OOM at estimate E lowers the limit to E; configurations that fit keep it from dropping below them', () => {
    assert.equal(correctedLimit(24, { oomEstimates: [], fitEstimates: [10] }), 24)
    assert.equal(correctedLimit(24, { oomEstimates: [21, 22.5], fitEstimates: [12] }), 21)
    assert.equal(correctedLimit(24, { oomEstimates: [21], fitEstimates: [22] }), 22)
    assert.equal(correctedLimit(24, { oomEstimates: [30], fitEstimates: [] }), 24)
    assert.equal(fitsUnder(21, 24, { oomEstimates: [21], fitEstimates: [] }), false)
    assert.equal(fitsUnder(20.9, 24, { oomEstimates: [21], fitEstimates: [] }), true)
    assert.equal(fitsUnder(24, 24, { oomEstimates: [], fitEstimates: [] }), true)
  })
})
