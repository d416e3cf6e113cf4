/**
 * Fine-tuning checkpoints: the trainable weights (LoRA adapters, or all weights for full fine-tuning), both
 * Adam moments, the step and the RNG state, so that resuming continues bit-for-bit like an uninterrupted run.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { TinyGpt } from './model.ts'
import type { Rng } from './rng.ts'
import { readTensorFile, writeTensorFile } from './tensor-file.ts'

/** What a checkpoint records besides the tensors. */
export interface CheckpointHeader {
  step: number
  rng: number[]
  /** The run's hyperparameters; a resume must use the same ones (the target step may differ). */
  options: Record<string, unknown>
  /** Floats in each of the three blocks (weights, m, v). */
  size: number
  history: unknown[]
}

/** File name of the checkpoint inside its directory. */
export const CHECKPOINT_FILE = 'checkpoint.bin'

/** Writes `<dir>/step-<step>/checkpoint.bin` and deletes the previous step directory; returns the new directory. */
export function saveCheckpoint(
  dir: string,
  model: TinyGpt,
  rng: Rng,
  step: number,
  options: Record<string, unknown>,
  history: unknown[],
  previous?: string,
): string {
  const g = model.trainable
  const h = model.arena.f32
  const out = join(dir, `step-${step}`)
  mkdirSync(out, { recursive: true })
  const header: CheckpointHeader = { step, rng: rng.getState(), options, size: g.size, history }
  const slice = (off: number) => h.subarray(off, off + g.size)
  writeTensorFile(join(out, CHECKPOINT_FILE), header, [slice(g.data), slice(g.m), slice(g.v)])
  if (previous && previous !== out && existsSync(previous)) rmSync(previous, { recursive: true, force: true })
  return out
}

/** Restores weights, moments and RNG from a checkpoint directory (or file); returns its header. */
export function loadCheckpoint(path: string, model: TinyGpt, rng: Rng): CheckpointHeader {
  const file = path.endsWith('.bin') ? path : join(path, CHECKPOINT_FILE)
  const { header, data } = readTensorFile<CheckpointHeader>(file)
  const g = model.trainable
  if (header.size !== g.size) {
    throw new Error(
      `Checkpoint ${file} holds ${header.size} trainable floats, but this model has ${g.size}; were the hyperparameters changed?`,
    )
  }
  const h = model.arena.f32
  h.set(data.subarray(0, g.size), g.data)
  h.set(data.subarray(g.size, 2 * g.size), g.m)
  h.set(data.subarray(2 * g.size, 3 * g.size), g.v)
  rng.setState(header.rng)
  return header
}
