import {
  blockLinears,
  kvWidth,
  type LinearName,
  linearParams,
  type ModelShape,
  queryWidth,
  totalParams,
} from './model-shape.ts'

/** How the model is fine-tuned. QLoRA = LoRA on a 4-bit NF4 base. */
export type FineTuneMethod = 'full' | 'lora' | 'qlora'

/**
 * Numeric precision of weights and activations. `mixed`: fp32 master weights with 16-bit autocast (HF Trainer
 * `bf16=True` on an fp32 model); `bf16` / `fp16`: the model itself is 16-bit (weights, gradients, optimizer
 * states); `fp32`: no autocast.
 */
export type Precision = 'fp32' | 'mixed' | 'bf16' | 'fp16'

/** The optimizer; `paged-*` are bitsandbytes' paged optimizers, whose states can spill to CPU memory. */
export type OptimizerKind =
  | 'adamw'
  | 'adamw-8bit'
  | 'paged-adamw'
  | 'paged-adamw-8bit'
  | 'sgd'
  | 'sgd-momentum'
  | 'adafactor'

/** Every optimizer name, for validation. */
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = [
  'adamw',
  'adamw-8bit',
  'paged-adamw',
  'paged-adamw-8bit',
  'sgd',
  'sgd-momentum',
  'adafactor',
]

/** Which linear layers get LoRA adapters: a preset or explicit names. */
export type TargetModules = 'all-linear' | 'attention' | 'qv' | readonly LinearName[]

/** What `estimateMemory` needs; everything but the model, method, batch size and length has a default. */
export interface MemoryInput {
  readonly model: ModelShape
  readonly method: FineTuneMethod
  /** Sequences per device per step (micro batch). */
  readonly batchSize: number
  /** Tokens per sequence. */
  readonly seqLen: number
  /** @default 'mixed' for full fine-tuning, 'bf16' (the frozen base) for LoRA / QLoRA */
  readonly precision?: Precision
  /** Base weights of LoRA in 8-bit (LLM.int8) instead of 16-bit; QLoRA is always NF4. @default false */
  readonly int8Base?: boolean
  /** QLoRA double quantisation of the quantisation constants. @default true */
  readonly doubleQuant?: boolean
  /** @default 16 */
  readonly loraRank?: number
  /** @default 'all-linear' */
  readonly targetModules?: TargetModules
  /** LoRA dropout > 0 keeps a dropped copy of each adapted layer's input. @default 0 */
  readonly loraDropout?: number
  /** Adapter weights, gradients and states: PEFT upcasts adapters to fp32 by default. @default 'fp32' */
  readonly adapterPrecision?: 'fp32' | 'bf16'
  /** @default false */
  readonly gradientCheckpointing?: boolean
  /** @default 'adamw' */
  readonly optimizer?: OptimizerKind
  /** Optimizer step fused into backward (torchtune): gradients never exist all at once. @default false */
  readonly optimizerInBackward?: boolean
  /**
   * How the loss is computed: `standard` materialises fp32 logits over the vocabulary (HF), `chunked` keeps only
   * 16-bit logits (torchtune / Liger / Unsloth), `none` has no vocabulary head (a classifier). @default 'standard'
   */
  readonly loss?: 'standard' | 'chunked' | 'none'
  /** `flash`: FlashAttention / SDPA (no seq² scores kept); `eager`: attention probabilities are stored. @default 'flash' */
  readonly attention?: 'flash' | 'eager'
  /** Dropout inside the model (BERT, GPT-2 0.1; modern LLMs 0): masks and dropped copies are kept. @default 0 */
  readonly modelDropout?: number
  /** Sequences per example: 2 for preference methods (DPO: chosen + rejected). @default 1 */
  readonly sequencesPerSample?: number
  /** A frozen 16-bit reference copy of the model (full-parameter DPO); LoRA DPO reuses the base. @default false */
  readonly referenceModel?: boolean
  /** GPUs the trainer shards over (DeepSpeed ZeRO / FSDP). @default 1 */
  readonly numGpus?: number
  /** 0 none; 1 optimizer states; 2 + gradients; 3 + weights (FSDP full shard). @default 0 */
  readonly zeroStage?: 0 | 1 | 2 | 3
  /** CUDA context and kernels (HF measured 1.3 GB on a V100). @default 1.0 */
  readonly cudaContextGb?: number
}

/** Estimated peak GPU memory of one device, in GiB (what nvidia-smi calls GB), with where it goes. */
export interface MemoryEstimate {
  readonly totalGb: number
  readonly weightsGb: number
  readonly gradientsGb: number
  readonly optimizerGb: number
  /** Stored activations of the transformer blocks. */
  readonly activationsGb: number
  /** Logits and loss over the vocabulary (part of the activations, shown apart: it dominates for 128k+ vocabularies). */
  readonly logitsGb: number
  /** CUDA context plus allocator fragmentation. */
  readonly overheadGb: number
  /** States of a paged optimizer: on the GPU while there is room, paged out to CPU memory otherwise; not in the total. */
  readonly pagedOptimizerGb: number
  readonly totalParams: number
  readonly trainableParams: number
}

const GIB = 1024 ** 3
/** Allocator fragmentation and temporary buffers, as a share of tensor memory (a judgement call, see README). */
const FRAGMENTATION = 0.05
/** Bytes per vocabulary entry per token for the standard loss: bf16 logits, fp32 copy, fp32 log-softmax, fp32 gradient, with transients. */
const STANDARD_LOSS_BYTES = 16
/** Chunked loss: 16-bit logits and their gradient. */
const CHUNKED_LOSS_BYTES = 4

/** The adapted linear layers for a target preset. */
export function targetNames(t: TargetModules): readonly LinearName[] {
  if (t === 'all-linear') return ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']
  if (t === 'attention') return ['q_proj', 'k_proj', 'v_proj', 'o_proj']
  if (t === 'qv') return ['q_proj', 'v_proj']
  return t
}

/** LoRA parameters (A and B of every adapted layer, all blocks). */
export function loraParams(model: ModelShape, rank: number, targets: TargetModules): number {
  const names = new Set(targetNames(targets))
  const perBlock = blockLinears(model)
    .filter((m) => names.has(m.name))
    .reduce((n, m) => n + rank * (m.inFeatures + m.outFeatures), 0)
  return model.layers * perBlock
}

/**
 * Estimates the peak GPU memory of one training step on one device: weights + gradients + optimizer states +
 * stored activations + logits + CUDA context and fragmentation. It adds the parts rather than modelling when
 * each is freed, so it errs high by the activations that are gone before the optimizer step; the validation
 * table in README.md shows how far it is from published measurements.
 */
export function estimateMemory(i: MemoryInput): MemoryEstimate {
  const m = i.model
  const lora = i.method !== 'full'
  const precision = i.precision ?? (lora ? 'bf16' : 'mixed')
  const n = Math.max(1, i.numGpus ?? 1)
  const zero = i.zeroStage ?? 0
  const shard = (stage: number) => (zero >= stage ? n : 1)
  const half = precision !== 'fp32'
  const actBytes = half ? 2 : 4
  const params = totalParams(m)
  const targets = i.targetModules ?? 'all-linear'
  const trainable = lora ? loraParams(m, i.loraRank ?? 16, targets) : params

  // Weights: a full model in its training precision, or a frozen (possibly quantised) base plus adapters.
  let weights: number
  if (!lora) weights = params * (precision === 'mixed' ? 6 : half ? 2 : 4)
  else {
    const linear = linearParams(m)
    const perLinear =
      i.method === 'qlora' ? 0.5 + ((i.doubleQuant ?? true) ? 0.127 : 0.5) / 8 : i.int8Base ? 1 : actBytes
    weights = linear * perLinear + (params - linear) * actBytes + trainable * adapterBytes(i)
  }
  if (i.referenceModel) weights += params * 2
  weights /= shard(3)

  const gradBytes = lora ? adapterBytes(i) : precision === 'bf16' || precision === 'fp16' ? 2 : 4
  const gradients = i.optimizerInBackward ? 0 : (trainable * gradBytes) / shard(2)
  const states = (trainable * optimizerBytes(i, lora, precision)) / shard(1)
  const paged = i.optimizer === 'paged-adamw' || i.optimizer === 'paged-adamw-8bit'

  const tokens = i.batchSize * i.seqLen * (i.sequencesPerSample ?? 1)
  const layer = layerActivationBytes(i, actBytes)
  const activations = i.gradientCheckpointing
    ? tokens * (m.layers * m.hidden * actBytes + layer)
    : tokens * m.layers * layer
  const lossBytes = i.loss === 'none' ? 0 : i.loss === 'chunked' ? CHUNKED_LOSS_BYTES : STANDARD_LOSS_BYTES
  const logits = tokens * m.vocab * lossBytes

  const tensors = weights + gradients + (paged ? 0 : states) + activations + logits
  const overhead = tensors * FRAGMENTATION + (i.cudaContextGb ?? 1.0) * GIB
  return {
    totalGb: (tensors + overhead) / GIB,
    weightsGb: weights / GIB,
    gradientsGb: gradients / GIB,
    optimizerGb: paged ? 0 : states / GIB,
    activationsGb: activations / GIB,
    logitsGb: logits / GIB,
    overheadGb: overhead / GIB,
    pagedOptimizerGb: paged ? states / GIB : 0,
    totalParams: params,
    trainableParams: trainable,
  }
}

function adapterBytes(i: MemoryInput): number {
  return (i.adapterPrecision ?? 'fp32') === 'fp32' ? 4 : 2
}

// Optimizer state bytes per trainable parameter. torch keeps Adam / momentum states in the parameter's dtype.
function optimizerBytes(i: MemoryInput, lora: boolean, precision: Precision): number {
  const stateBytes = lora ? adapterBytes(i) : precision === 'bf16' || precision === 'fp16' ? 2 : 4
  switch (i.optimizer ?? 'adamw') {
    case 'adamw':
    case 'paged-adamw':
      return 2 * stateBytes
    case 'adamw-8bit':
    case 'paged-adamw-8bit':
      return 2
    case 'sgd-momentum':
      return stateBytes
    case 'sgd':
    case 'adafactor': // factored second moments: O(rows + cols) per matrix, negligible next to the weights
      return 0
  }
}

/**
 * Bytes stored per token by one block during the forward pass, for the backward pass (after Korthikanti et al.
 * 2022, "Reducing Activation Recomputation in Large Transformer Models", generalised to grouped-query attention
 * and gated MLPs): both norms' input and output, q/k/v, the attention output, the MLP's intermediate tensors,
 * plus attention probabilities (eager attention), dropout masks and LoRA-dropout copies.
 */
function layerActivationBytes(i: MemoryInput, actBytes: number): number {
  const m = i.model
  const q = queryWidth(m)
  const kv = kvWidth(m)
  let elements = 2 * m.hidden + q + 2 * kv + q + 2 * m.hidden + (m.gatedMlp ? 4 : 2) * m.intermediate
  let maskBytes = 0
  const dropout = (i.modelDropout ?? 0) > 0
  if (i.attention === 'eager') {
    const scores = m.heads * i.seqLen
    elements += dropout ? 2 * scores : scores
    if (dropout) maskBytes += scores
  }
  if (dropout) maskBytes += 2 * m.hidden
  if (i.method !== 'full' && (i.loraDropout ?? 0) > 0) {
    const names = new Set(targetNames(i.targetModules ?? 'all-linear'))
    for (const lin of blockLinears(m))
      if (names.has(lin.name)) {
        elements += lin.inFeatures
        maskBytes += lin.inFeatures
      }
  }
  return elements * actBytes + maskBytes
}
