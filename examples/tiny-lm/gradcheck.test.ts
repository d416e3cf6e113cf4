import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeRows, formatExample } from './data.ts'
import { TinyGpt } from './model.ts'
import { Rng } from './rng.ts'

// Finite-difference check of the hand-written backward pass, on a model small enough to perturb every tensor.
// float32 activations limit precision, so the check uses a central difference with eps 1e-2 (as in the study).
const rows = [formatExample('rev', 'abc'), formatExample('cpy', 'ab')]
const batch = encodeRows(rows, 16)
const config = { vocab: 64, dModel: 8, nHeads: 2, nLayers: 2, maxT: 16 }

function check(kernels: 'js' | 'wasm', lora: boolean, dropout: number): void {
  const m = new TinyGpt({
    config,
    T: 16,
    maxBatch: 2,
    kernels,
    dropout,
    initSeed: 3,
    lora: lora ? { r: 2, alpha: 4, dropout } : undefined,
  })
  const h = m.arena.f32
  const rng = new Rng(9)
  // Make everything non-trivial: LoRA B (zero at init) and biases/norms get random values.
  for (const p of [...m.base.params, ...(m.adapters?.params ?? [])]) {
    if (/lora_B|\.b$|\.g$/.test(p.name))
      for (let i = 0; i < p.size; i++) h[p.off + i] = (p.name.endsWith('.g') ? 1 : 0) + 0.3 * rng.normal()
  }
  const lossAt = (withGrad: boolean): number => {
    m.forward(batch, true, new Rng(42)) // same dropout masks every time
    const l = m.loss(batch, withGrad)
    return l.loss / l.tokens
  }
  lossAt(true)
  m.backward(batch)
  const g = m.trainable
  const grads = h.slice(g.grad, g.grad + g.size)
  const eps = 1e-2
  let worst = 0
  for (const p of g.params) {
    let maxG = 0
    for (let i = 0; i < p.size; i++) maxG = Math.max(maxG, Math.abs(grads[p.grad - g.grad + i]))
    for (let t = 0; t < 4; t++) {
      const i = (t * 7919 + 13) % p.size
      const orig = h[p.off + i]
      h[p.off + i] = orig + eps
      const up = lossAt(false)
      h[p.off + i] = orig - eps
      const down = lossAt(false)
      h[p.off + i] = orig
      const num = (up - down) / (2 * eps)
      const ana = grads[p.grad - g.grad + i]
      const err = Math.abs(num - ana) / Math.max(Math.abs(num) + Math.abs(ana), 0.05 * maxG, 1e-3)
      worst = Math.max(worst, err)
      assert.ok(err < 0.01, `${kernels} ${p.name}[${i}]: analytic ${ana} vs numeric ${num} (rel err ${err.toFixed(3)})`)
    }
  }
  assert.ok(worst < 0.01)
  if (process.env.GRADCHECK_VERBOSE) console.log(kernels, lora, dropout, 'worst', worst)
}

test('full fine-tuning gradients match finite differences (js kernels)', () => check('js', false, 0))
test('full fine-tuning gradients match finite differences (wasm kernels, dropout)', () => check('wasm', false, 0.1))
test('LoRA gradients match finite differences (js kernels, LoRA dropout)', () => check('js', true, 0.2))
test('LoRA gradients match finite differences (wasm kernels)', () => check('wasm', true, 0))
