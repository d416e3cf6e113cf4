/**
 * `finetune()`: fine-tunes the pretrained tiny LM on string reversal with the usual LLM fine-tuning knobs
 * (AdamW, warmup + schedule, LoRA or full fine-tuning, data fraction), evaluates every `eval_every` steps,
 * lets a hook prune or pause the run, checkpoints, and resumes exactly. This is Winnow's built-in objective.
 */
import { loadBase } from './base-model.ts'
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts'
import { type Batch, gatherRows, makeReversalTask, seqLenFor, type TaskData } from './data.ts'
import { TinyGpt } from './model.ts'
import { type LrScheduler, optimizerStep } from './optimizer.ts'
import { Rng } from './rng.ts'

/** Hyperparameters (snake_case, as a tuner passes them) and run settings. */
export interface FinetuneOptions {
  /** Peak learning rate. @default 2e-4 */
  learning_rate: number
  /** Sequences per step. @default 16 */
  batch_size: number
  /** Full-fidelity length of the run (the schedule spans it). @default 300 */
  steps: number
  /** Fraction of `steps` spent in linear warmup. @default 0.03 */
  warmup_ratio: number
  /** Decoupled AdamW weight decay on matrices. @default 0 */
  weight_decay: number
  /** @default 'cosine' */
  lr_scheduler: LrScheduler
  /** LoRA rank on every linear layer; 0 means full fine-tuning. @default 16 */
  lora_r: number
  /** @default 32 */
  lora_alpha: number
  /** @default 0.05 */
  lora_dropout: number
  /** Fraction of the 2,000-example training pool used. @default 1 */
  data_fraction: number
  /** Reversed strings have min_len..max_len chars; the context is the matching multiple of 8. @default 3, 9 */
  min_len: number
  max_len: number
  /** Residual dropout of the model. @default 0 */
  dropout: number
  /** Gradient-norm clip (0 = off). @default 1 */
  grad_clip: number
  /** Seed of batch order, dropout masks and LoRA init. @default 0 */
  seed: number
  /** Evaluate (and maybe checkpoint) every this many steps, and at the last step. @default 25 */
  eval_every: number
  /** Held-out examples per evaluation (a fixed set; fewer makes tests faster). @default 256 */
  eval_size: number
  /** Stop (paused) after this step, to be resumed later to a higher target. */
  target?: number
  /** Directory for checkpoints, written at every evaluation and on pause. */
  checkpoint_dir?: string
  /** Checkpoint directory to resume from. */
  resume_from?: string
  /** Start from the pretrained base or from random weights (to show what pretraining buys). @default 'pretrained' */
  init: 'pretrained' | 'scratch'
  /** @default 'wasm' */
  kernels: 'wasm' | 'js'
}

/** Defaults: the usual published LoRA recipe (lr 2e-4, r 16, α 32, dropout 0.05, warmup 3%, cosine, wd 0). */
export const FINETUNE_DEFAULTS: FinetuneOptions = {
  learning_rate: 2e-4,
  batch_size: 16,
  steps: 300,
  warmup_ratio: 0.03,
  weight_decay: 0,
  lr_scheduler: 'cosine',
  lora_r: 16,
  lora_alpha: 32,
  lora_dropout: 0.05,
  data_fraction: 1,
  min_len: 3,
  max_len: 9,
  dropout: 0,
  grad_clip: 1,
  seed: 0,
  eval_every: 25,
  eval_size: 256,
  init: 'pretrained',
  kernels: 'wasm',
}

/** Evaluation metrics: mean answer-token cross-entropy, exact-match accuracy, training tokens seen so far. */
export interface EvalMetrics {
  eval_loss: number
  accuracy: number
  train_loss: number
  tokens: number
}

/** What the hook wants after an evaluation. */
export type EvalAction = 'continue' | 'prune' | 'pause'

/** Callbacks; all optional. */
export interface FinetuneHooks {
  onEval?(step: number, metrics: EvalMetrics): EvalAction | Promise<EvalAction>
  onCheckpoint?(path: string, step: number): void | Promise<void>
}

/** Outcome of a call: 'paused' covers both a hook's pause and reaching `target`. */
export interface FinetuneResult {
  status: 'completed' | 'pruned' | 'paused'
  step: number
  metrics?: EvalMetrics
  history: Array<{ step: number } & EvalMetrics>
  checkpoint?: string
}

const TRAIN_SIZE = 2000
const EVAL_CHUNK = 64
const tasks = new Map<string, TaskData>()

function taskFor(o: FinetuneOptions): TaskData {
  const key = `${o.min_len}-${o.max_len}-${o.eval_size}`
  const t =
    tasks.get(key) ??
    makeReversalTask({ trainSize: TRAIN_SIZE, evalSize: o.eval_size, minLen: o.min_len, maxLen: o.max_len })
  tasks.set(key, t)
  return t
}

/** Builds the model for these options: base weights loaded, LoRA adapters initialised from the seed. */
export function buildModel(o: FinetuneOptions): TinyGpt {
  const base = loadBase()
  const lora = o.lora_r > 0 ? { r: o.lora_r, alpha: o.lora_alpha, dropout: o.lora_dropout } : undefined
  const T = seqLenFor(o.max_len)
  const model = new TinyGpt({
    config: base.header.config,
    T,
    maxBatch: Math.max(o.batch_size, EVAL_CHUNK),
    lora,
    dropout: o.dropout,
    kernels: o.kernels,
    initSeed: o.seed,
  })
  if (o.init === 'pretrained') model.importBase(base.data)
  model.initAdapters(new Rng(o.seed ^ 0x5eed))
  return model
}

/** Mean loss and exact match of `model` on a tokenised set, in chunks of EVAL_CHUNK rows (no dropout). */
export function evaluate(model: TinyGpt, set: Batch): { loss: number; accuracy: number } {
  let loss = 0
  let tokens = 0
  let correct = 0
  for (let r = 0; r < set.rows; r += EVAL_CHUNK) {
    const rows = Array.from({ length: Math.min(EVAL_CHUNK, set.rows - r) }, (_, i) => r + i)
    const chunk = gatherRows(set, rows)
    model.forward(chunk, false)
    const l = model.loss(chunk, false)
    loss += l.loss
    tokens += l.tokens
    correct += l.correctRows
  }
  return { loss: loss / tokens, accuracy: correct / set.rows }
}

/** Options that define a run's trajectory (a resume must match them). */
function trajectoryKey(o: FinetuneOptions): Record<string, unknown> {
  const { target: _t, checkpoint_dir: _c, resume_from: _r, kernels: _k, ...rest } = o
  return rest
}

/**
 * Runs (or resumes) a fine-tune. Evaluates every `eval_every` steps and at `target`/`steps`; the hook may
 * prune (stop) or pause (checkpoint and stop). Same options and seed ⇒ same numbers, whether or not the run
 * was paused and resumed in between.
 * @example
 * const r = await finetune({ learning_rate: 3e-3, steps: 300 }, { onEval: (s, m) => (m.eval_loss > 3 ? 'prune' : 'continue') })
 */
export async function finetune(options: Partial<FinetuneOptions>, hooks: FinetuneHooks = {}): Promise<FinetuneResult> {
  const o: FinetuneOptions = { ...FINETUNE_DEFAULTS, ...options }
  validate(o)
  const task = taskFor(o)
  const nTrain = Math.max(1, Math.round(o.data_fraction * task.train.rows))
  const model = buildModel(o)
  const rng = new Rng(o.seed)
  const key = trajectoryKey(o)
  let step = 0
  let history: FinetuneResult['history'] = []
  if (o.resume_from) {
    const hdr = loadCheckpoint(o.resume_from, model, rng)
    const diff = Object.keys(key).filter((k) => JSON.stringify(key[k]) !== JSON.stringify(hdr.options[k]))
    if (diff.length > 0)
      throw new Error(`Cannot resume from ${o.resume_from}: options ${diff.join(', ')} differ from the checkpoint's.`)
    step = hdr.step
    history = hdr.history as FinetuneResult['history']
  }
  const opt = {
    lr: o.learning_rate,
    totalSteps: o.steps,
    warmupSteps: Math.round(o.warmup_ratio * o.steps),
    scheduler: o.lr_scheduler,
    weightDecay: o.weight_decay,
    gradClip: o.grad_clip,
  }
  const stopAt = Math.min(o.steps, o.target ?? o.steps)
  let checkpoint: string | undefined
  let trainLoss = 0
  let trainSteps = 0
  const save = async (): Promise<void> => {
    if (!o.checkpoint_dir) return
    checkpoint = saveCheckpoint(o.checkpoint_dir, model, rng, step, key, history, checkpoint)
    await hooks.onCheckpoint?.(checkpoint, step)
  }
  const idx = new Int32Array(o.batch_size)
  while (step < stopAt) {
    for (let i = 0; i < o.batch_size; i++) idx[i] = rng.int(nTrain)
    const batch = gatherRows(task.train, idx)
    model.forward(batch, true, rng)
    const l = model.loss(batch, true)
    model.backward(batch)
    optimizerStep(model, step, opt)
    step++
    trainLoss += l.loss / l.tokens
    trainSteps++
    if (step % o.eval_every !== 0 && step !== stopAt) continue
    const e = evaluate(model, task.eval)
    const metrics: EvalMetrics = {
      eval_loss: e.loss,
      accuracy: e.accuracy,
      train_loss: trainLoss / trainSteps,
      tokens: step * o.batch_size * model.T,
    }
    trainLoss = 0
    trainSteps = 0
    history.push({ step, ...metrics })
    const action = (await hooks.onEval?.(step, metrics)) ?? 'continue'
    if (action === 'prune') return { status: 'pruned', step, metrics, history, checkpoint }
    await save()
    if (action === 'pause') return { status: 'paused', step, metrics, history, checkpoint }
  }
  const last = history[history.length - 1]
  return { status: step >= o.steps ? 'completed' : 'paused', step, metrics: last, history, checkpoint }
}

function validate(o: FinetuneOptions): void {
  const bad = (name: string, rule: string) =>
    new Error(
      `Fine-tuning option ${name} must be ${rule}, but got ${JSON.stringify(o[name as keyof FinetuneOptions])}.`,
    )
  if (!(o.learning_rate > 0)) throw bad('learning_rate', '> 0')
  if (!Number.isInteger(o.batch_size) || o.batch_size < 1) throw bad('batch_size', 'a positive integer')
  if (!Number.isInteger(o.steps) || o.steps < 1) throw bad('steps', 'a positive integer')
  if (!(o.data_fraction > 0 && o.data_fraction <= 1)) throw bad('data_fraction', 'in (0, 1]')
  if (!Number.isInteger(o.lora_r) || o.lora_r < 0) throw bad('lora_r', 'a non-negative integer')
  if (!['cosine', 'linear', 'constant'].includes(o.lr_scheduler))
    throw bad('lr_scheduler', 'cosine, linear or constant')
  if (!(o.lora_dropout >= 0 && o.lora_dropout < 1)) throw bad('lora_dropout', 'in [0, 1)')
  if (!Number.isInteger(o.eval_size) || o.eval_size < 1) throw bad('eval_size', 'a positive integer')
  if (o.max_len > 13 || o.min_len < 1 || o.min_len > o.max_len) throw bad('max_len', '≤ 13 and ≥ min_len ≥ 1')
}
