/**
 * Deterministic pretraining of the base model on the string-operation mix (copy, upper-case, shift, sort,
 * rotate left/right), in the same one-example-per-row format as fine-tuning. `npm run pretrain` rewrites
 * base/tiny-lm-base.bin; the same seed gives the same bytes on the same Node major version.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { BASE_CONFIG, BASE_PATH } from './base-model.ts'
import { encodeRows, formatExample, PRETRAIN_OPS, pretrainBatch, randomString, seqLenFor } from './data.ts'
import { TinyGpt } from './model.ts'
import { optimizerStep } from './optimizer.ts'
import { Rng } from './rng.ts'
import { writeTensorFile } from './tensor-file.ts'

/** Pretraining settings (all have defaults matching the shipped base). */
export interface PretrainOptions {
  steps: number
  batchSize: number
  lr: number
  warmupSteps: number
  weightDecay: number
  minLen: number
  maxLen: number
  seed: number
}

/** Defaults that produced the committed base. */
export const PRETRAIN_DEFAULTS: PretrainOptions = {
  steps: 3000,
  batchSize: 16,
  lr: 3e-3,
  warmupSteps: 100,
  weightDecay: 0.1,
  minLen: 1,
  maxLen: 13,
  seed: 1,
}

/** Trains a base model from scratch and returns it; `log` receives progress lines. */
export function pretrain(o: PretrainOptions, log: (line: string) => void = () => {}): TinyGpt {
  const T = seqLenFor(o.maxLen)
  const model = new TinyGpt({ config: BASE_CONFIG, T, maxBatch: Math.max(o.batchSize, 64), initSeed: o.seed })
  const rng = new Rng(o.seed)
  const opt = {
    lr: o.lr,
    totalSteps: o.steps,
    warmupSteps: o.warmupSteps,
    scheduler: 'cosine' as const,
    weightDecay: o.weightDecay,
    gradClip: 1,
  }
  let sum = 0
  for (let step = 0; step < o.steps; step++) {
    const batch = pretrainBatch(rng, o.batchSize, o.minLen, o.maxLen)
    model.forward(batch, true, rng)
    const l = model.loss(batch, true)
    model.backward(batch)
    optimizerStep(model, step, opt)
    sum += l.loss / l.tokens
    if ((step + 1) % 250 === 0) {
      log(`step ${step + 1}/${o.steps}  train loss ${(sum / 250).toFixed(3)}  ${exactMatchReport(model, o)}`)
      sum = 0
    }
  }
  return model
}

/** Exact-match accuracy per operation (and on the unseen `rev`) on 64 fixed strings each. */
export function exactMatchReport(model: TinyGpt, o: Pick<PretrainOptions, 'minLen' | 'maxLen'>): string {
  const rng = new Rng(777)
  const strings = Array.from({ length: 64 }, () =>
    randomString(rng, Math.max(o.minLen, 3), Math.min(o.maxLen, (model.T - 6) >> 1)),
  )
  return [...PRETRAIN_OPS, 'rev']
    .map((op) => {
      const batch = encodeRows(
        strings.map((s) => formatExample(op, s)),
        model.T,
      )
      model.forward(batch, false)
      const r = model.loss(batch, false)
      return `${op} ${Math.round((100 * r.correctRows) / batch.rows)}%`
    })
    .join(' ')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const steps = Number(process.argv.find((a) => a.startsWith('--steps='))?.slice(8) ?? PRETRAIN_DEFAULTS.steps)
  const o = { ...PRETRAIN_DEFAULTS, steps }
  const t0 = performance.now()
  const model = pretrain(o, (l) => console.log(l))
  const secs = (performance.now() - t0) / 1000
  mkdirSync(dirname(BASE_PATH), { recursive: true })
  writeTensorFile(BASE_PATH, { config: BASE_CONFIG, pretrain: o }, [model.exportBase()])
  console.log(`wrote ${BASE_PATH} (${model.base.size} params) in ${secs.toFixed(1)} s`)
}
