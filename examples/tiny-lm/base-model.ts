/** The shipped pretrained base: its architecture, where its weights live and how to load them. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { VOCAB } from './data.ts'
import type { ModelConfig } from './model.ts'
import { readTensorFile } from './tensor-file.ts'

/** Architecture of the base model: 2 layers, d_model 64, 4 heads, 32 positions (≈105K parameters). */
export const BASE_CONFIG: ModelConfig = { vocab: VOCAB, dModel: 64, nHeads: 4, nLayers: 2, maxT: 32 }

/** Location of the committed base weights (regenerate with `npm run pretrain`). */
export const BASE_PATH = fileURLToPath(new URL('./base/tiny-lm-base.bin', import.meta.url))

/** Header stored with the base weights. */
export interface BaseHeader {
  config: ModelConfig
  pretrain: Record<string, unknown>
}

let cached: { header: BaseHeader; data: Float32Array } | undefined

/** Loads (once per process) the base weights; throws with a hint when they have not been generated. */
export function loadBase(path = BASE_PATH): { header: BaseHeader; data: Float32Array } {
  if (path === BASE_PATH && cached) return cached
  if (!existsSync(path)) throw new Error(`Base weights not found at ${path}. Run \`npm run pretrain\` to create them.`)
  const base = readTensorFile<BaseHeader>(path)
  if (path === BASE_PATH) cached = base
  return base
}
