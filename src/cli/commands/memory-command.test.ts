import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseStudyFile } from '../../config/index.ts'
import { estimateMemory, type MemoryInput, resolveModel } from '../../core/memory/index.ts'
import { formatEstimate, memoryGateOptions } from './memory-command.ts'

const verdict = (input: MemoryInput, limitGb: number) => formatEstimate(input, estimateMemory(input), limitGb).at(-2)

test('the advice when it does not fit follows what takes the memory', () => {
  const model = resolveModel('llama-3-8b')!
  // Full fine-tuning: weights, gradients and AdamW state alone are far over 80 GB — batch size cannot help.
  const full = verdict({ model, method: 'full', batchSize: 1, seqLen: 2048, gradientCheckpointing: true }, 80)
  assert.match(
    full!,
    /^does not fit: .* optimizer state take [\d.]+ GB \([\d.]+ GB with the CUDA overhead\), so a smaller batch or sequence cannot make it fit/,
  )
  assert.match(full!, /--method lora \| qlora/)
  assert.match(full!, /--zero-stage 3 --gpus N/)
  assert.doesNotMatch(full!, /smaller batch with gradient accumulation/)
  // LoRA with a large batch: activations are the problem, so batch, checkpointing and sequence length are.
  const lora = verdict({ model, method: 'lora', batchSize: 16, seqLen: 2048 }, 40)
  assert.match(lora!, /Try a smaller batch with gradient accumulation, --gradient-checkpointing, --method qlora/)
})

test('memory.headroom_gb is kept free below the GPU memory; a headroom as large as the GPU is refused', () => {
  const file = (headroom: number) =>
    parseStudyFile(
      `name: m\nmetric: {name: loss}\ncommand: [a]\nspace: {x: {type: float, low: 0, high: 1}}\nmemory: {model: llama-3-8b, method: qlora, batch_size: 1, seq_len: 512, gpu_memory_gb: 24, headroom_gb: ${headroom}}\n`,
      'study.yaml',
    )
  assert.equal(memoryGateOptions(file(3), () => {})?.limitGb, 21)
  assert.equal(memoryGateOptions(file(0), () => {})?.limitGb, 24)
  assert.throws(() => memoryGateOptions(file(24), () => {}), /memory\.headroom_gb 24 leaves nothing of the 24 GB GPU/)
})
