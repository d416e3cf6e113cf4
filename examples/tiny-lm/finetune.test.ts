import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { type EvalMetrics, finetune } from './finetune.ts'

// Short runs on the shipped base; each takes well under a second of training.
const quick = {
  steps: 40,
  eval_every: 10,
  eval_size: 64,
  learning_rate: 1e-2,
  batch_size: 8,
  lora_r: 8,
  lora_alpha: 16,
  max_len: 5,
}

test('a short LoRA fine-tune reduces eval loss', async () => {
  const losses: number[] = []
  const r = await finetune(quick, {
    onEval: (_s, m) => {
      losses.push(m.eval_loss)
      return 'continue'
    },
  })
  assert.equal(r.status, 'completed')
  assert.equal(r.history.length, 4)
  assert.ok(losses[3] < losses[0] - 0.1, `eval loss should fall: ${losses.map((l) => l.toFixed(3)).join(' → ')}`)
})

test('prune stops the run at the evaluation', async () => {
  const r = await finetune(quick, { onEval: (step) => (step >= 20 ? 'prune' : 'continue') })
  assert.deepEqual([r.status, r.step], ['pruned', 20])
})

for (const [name, extra] of [
  ['LoRA with dropout', { lora_dropout: 0.1 }],
  [
    'full fine-tuning with dropout and weight decay',
    { lora_r: 0, dropout: 0.1, weight_decay: 0.1, learning_rate: 1e-3 },
  ],
] as const) {
  test(`pause + resume continues exactly like an uninterrupted run (${name})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinylm-ckpt-'))
    try {
      const opts = { ...quick, ...extra, seed: 7 }
      const full: EvalMetrics[] = []
      await finetune(opts, {
        onEval: (_s, m) => {
          full.push(m)
          return 'continue'
        },
      })
      const first = await finetune(
        { ...opts, checkpoint_dir: join(dir, 'a') },
        { onEval: (s) => (s === 20 ? 'pause' : 'continue') },
      )
      assert.equal(first.status, 'paused')
      assert.ok(first.checkpoint)
      // resume to an intermediate target first (multi-fidelity), then to the end
      const mid = await finetune({ ...opts, checkpoint_dir: join(dir, 'b'), resume_from: first.checkpoint, target: 30 })
      assert.deepEqual([mid.status, mid.step], ['paused', 30])
      const rest = await finetune({ ...opts, resume_from: mid.checkpoint })
      assert.equal(rest.status, 'completed')
      assert.deepEqual(
        rest.history.map((h) => h.eval_loss),
        full.map((m) => m.eval_loss),
      )
      assert.deepEqual(rest.metrics, { step: 40, ...full[full.length - 1] })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

test('resuming with different hyperparameters is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinylm-ckpt-'))
  try {
    const first = await finetune({ ...quick, checkpoint_dir: dir, target: 10 })
    await assert.rejects(finetune({ ...quick, learning_rate: 3e-3, resume_from: first.checkpoint }), /learning_rate/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
