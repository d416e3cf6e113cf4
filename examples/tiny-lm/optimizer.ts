/** Learning-rate schedules and the clipped AdamW step of the tiny LM. */
import type { TinyGpt } from './model.ts'

/** Shape of the learning rate after warmup. */
export type LrScheduler = 'cosine' | 'linear' | 'constant'

/** Optimizer hyperparameters (betas and eps are the PyTorch / Hugging Face defaults). */
export interface OptimizerOptions {
  lr: number
  totalSteps: number
  warmupSteps: number
  scheduler: LrScheduler
  weightDecay: number
  /** Global gradient-norm clip; 0 disables clipping. */
  gradClip: number
  beta1?: number
  beta2?: number
  eps?: number
}

/**
 * Learning rate for the 0-based `step`: linear warmup to the peak, then cosine or linear decay to 0 at
 * `totalSteps` (Hugging Face semantics). The schedule always spans the full-fidelity step count, so a run
 * stopped early at a lower target sees exactly the rates of the first steps of the full run.
 */
export function lrAt(
  step: number,
  o: Pick<OptimizerOptions, 'lr' | 'totalSteps' | 'warmupSteps' | 'scheduler'>,
): number {
  if (step < o.warmupSteps) return (o.lr * (step + 1)) / o.warmupSteps
  if (o.scheduler === 'constant') return o.lr
  const progress = Math.min(1, (step - o.warmupSteps) / Math.max(1, o.totalSteps - o.warmupSteps))
  return o.scheduler === 'cosine' ? o.lr * 0.5 * (1 + Math.cos(Math.PI * progress)) : o.lr * (1 - progress)
}

/** Clips the gradients of the trainable group and applies AdamW for 0-based `step`; returns the gradient norm. */
export function optimizerStep(model: TinyGpt, step: number, o: OptimizerOptions): number {
  const g = model.trainable
  const norm = Math.sqrt(model.k.sumsq(g.grad, g.size))
  const gscale = o.gradClip > 0 && norm > o.gradClip ? o.gradClip / norm : 1
  const beta1 = o.beta1 ?? 0.9
  const beta2 = o.beta2 ?? 0.999
  const t = step + 1
  g.step(
    model.k,
    { lr: lrAt(step, o), beta1, beta2, eps: o.eps ?? 1e-8, bc1: 1 - beta1 ** t, bc2: 1 - beta2 ** t, gscale },
    o.weightDecay,
  )
  return norm
}
