import type { Command } from 'commander'
import type { StudyConfig } from '../../config/index.ts'
import { UsageError } from '../../core/errors.ts'
import {
  estimateMemory,
  type FineTuneMethod,
  knownModelNames,
  type MemoryEstimate,
  type MemoryInput,
  type ModelShape,
  OPTIMIZER_KINDS,
  type OptimizerKind,
  type Precision,
  resolveModel,
  type TargetModules,
} from '../../core/memory/index.ts'
import { detectGpus } from '../../runner/gpus.ts'
import type { MemoryGateOptions } from '../../runner/memory-gate.ts'

interface MemoryFlags {
  model?: string
  method: string
  batchSize: string
  seqLen: string
  gpuMemory?: string
  rank: string
  targets: string
  precision?: string
  optimizer: string
  gradientCheckpointing?: boolean
  gpus: string
  zeroStage: string
  list?: boolean
}

/** `winnow memory`: estimated peak GPU memory of a fine-tuning configuration, with its breakdown. */
export function registerMemoryCommand(program: Command): void {
  program
    .command('memory')
    .description('estimate the peak GPU memory of a fine-tuning configuration and whether it fits')
    .option('-m, --model <name>', 'model name (e.g. llama-3-8b, Qwen/Qwen2.5-7B); --list shows the known ones')
    .option('--method <m>', 'full | lora | qlora', 'lora')
    .option('-b, --batch-size <n>', 'sequences per GPU per step', '1')
    .option('-s, --seq-len <n>', 'tokens per sequence', '2048')
    .option('-g, --gpu-memory <gb>', 'GPU memory in GB (default: the smallest GPU nvidia-smi reports)')
    .option('-r, --rank <n>', 'LoRA rank', '16')
    .option('--targets <t>', 'LoRA target modules: all-linear | attention | qv', 'all-linear')
    .option('--precision <p>', 'fp32 | mixed | bf16 | fp16 (default: mixed for full, bf16 for LoRA)')
    .option('--optimizer <o>', OPTIMIZER_KINDS.join(' | '), 'adamw')
    .option('--gradient-checkpointing', 'recompute activations in the backward pass')
    .option('--gpus <n>', 'GPUs the trainer shards over (with --zero-stage)', '1')
    .option('--zero-stage <n>', 'DeepSpeed ZeRO stage / FSDP (3 = full shard)', '0')
    .option('--list', 'list the known models')
    .action((f: MemoryFlags) => {
      if (f.list) {
        console.log(knownModelNames().join('\n'))
        return
      }
      if (f.model === undefined)
        throw new UsageError('--model is required. Run `winnow memory --list` for the known models.')
      const model = requireModel(f.model)
      const input: MemoryInput = {
        model,
        method: oneOf(f.method, ['full', 'lora', 'qlora'] as const, '--method'),
        batchSize: positive(f.batchSize, '--batch-size'),
        seqLen: positive(f.seqLen, '--seq-len'),
        loraRank: positive(f.rank, '--rank'),
        targetModules: oneOf(f.targets, ['all-linear', 'attention', 'qv'] as const, '--targets'),
        ...(f.precision !== undefined
          ? { precision: oneOf(f.precision, ['fp32', 'mixed', 'bf16', 'fp16'] as const, '--precision') }
          : {}),
        optimizer: oneOf(f.optimizer, OPTIMIZER_KINDS, '--optimizer'),
        gradientCheckpointing: f.gradientCheckpointing === true,
        numGpus: positive(f.gpus, '--gpus'),
        zeroStage: oneOf(Number(f.zeroStage), [0, 1, 2, 3] as const, '--zero-stage'),
      }
      const limit = f.gpuMemory !== undefined ? positiveNumber(f.gpuMemory, '--gpu-memory') : detectedGpuMemoryGb()
      for (const line of formatEstimate(input, estimateMemory(input), limit)) console.log(line)
    })
}

/** The printed report: configuration, breakdown, and the verdict against `limitGb` when known. */
export function formatEstimate(input: MemoryInput, e: MemoryEstimate, limitGb: number | undefined): string[] {
  const gb = (v: number) => `${v.toFixed(2).padStart(7)} GB`
  const lines = [
    `${input.model.name}, ${input.method}${input.method === 'full' ? '' : ` r=${input.loraRank ?? 16}`}, batch ${input.batchSize} × ${input.seqLen} tokens, ${input.optimizer ?? 'adamw'}${input.gradientCheckpointing ? ', gradient checkpointing' : ''}`,
    `parameters: ${(e.totalParams / 1e9).toFixed(2)}B, trainable ${formatCount(e.trainableParams)}`,
    `  weights      ${gb(e.weightsGb)}`,
    `  gradients    ${gb(e.gradientsGb)}`,
    `  optimizer    ${gb(e.optimizerGb)}${e.pagedOptimizerGb > 0 ? `  (+${e.pagedOptimizerGb.toFixed(2)} GB paged: spills to CPU memory when the GPU is full)` : ''}`,
    `  activations  ${gb(e.activationsGb)}`,
    `  logits/loss  ${gb(e.logitsGb)}`,
    `  CUDA + frag. ${gb(e.overheadGb)}`,
    `  total        ${gb(e.totalGb)}`,
  ]
  if (limitGb === undefined)
    lines.push('No GPU detected and no --gpu-memory given: pass --gpu-memory 24 to check a card.')
  else if (e.totalGb <= limitGb)
    lines.push(`fits: ${e.totalGb.toFixed(1)} GB of ${limitGb} GB (${(limitGb - e.totalGb).toFixed(1)} GB spare)`)
  else lines.push(`does not fit: ${e.totalGb.toFixed(1)} GB > ${limitGb} GB. ${fitAdvice(input, e, limitGb)}`)
  lines.push(
    'Estimates run 3-20% below published measurements (src/core/memory/README.md): leave about 3 GB of headroom for 7-8B models, about 20% for 65-70B ones.',
  )
  return lines
}

/**
 * What would make it fit, by what takes the memory: when the model's own state (weights, gradients, optimizer) is
 * already over the limit, a smaller batch or sequence cannot help, and the advice is about that state.
 */
function fitAdvice(input: MemoryInput, e: MemoryEstimate, limitGb: number): string {
  const state = e.weightsGb + e.gradientsGb + e.optimizerGb + e.overheadGb
  if (state < limitGb)
    return `Try a smaller batch with gradient accumulation${input.gradientCheckpointing ? '' : ', --gradient-checkpointing'}${input.method === 'lora' ? ', --method qlora' : ''}, or a shorter --seq-len.`
  const ways: string[] = []
  if (input.method === 'full') ways.push('LoRA or QLoRA (--method lora | qlora)')
  else if (input.method === 'lora') ways.push('QLoRA (--method qlora: 4-bit base weights)')
  if (e.optimizerGb > 1 && !(input.optimizer ?? 'adamw').includes('8bit'))
    ways.push('an 8-bit or paged optimizer (--optimizer adamw-8bit | paged-adamw-8bit)')
  if (input.method === 'full' && (input.zeroStage ?? 0) < 3)
    ways.push('sharding over several GPUs (--zero-stage 3 --gpus N)')
  ways.push('a smaller model')
  return `The model's weights, gradients and optimizer state take ${(state - e.overheadGb).toFixed(1)} GB (${state.toFixed(1)} GB with the CUDA overhead), so a smaller batch or sequence cannot make it fit; try ${ways.join(', ')}.`
}

/**
 * The runner's memory-gate options from a study file's `memory:` block, or undefined without one. The limit is
 * `gpu_memory_gb` or the smallest detected GPU, less `headroom_gb`; without either the gate is off (with a warning).
 */
export function memoryGateOptions(
  config: StudyConfig,
  warn: (m: string) => void = console.warn,
): MemoryGateOptions | undefined {
  const m = config.memory
  if (m === undefined) return undefined
  const cardGb = m.gpu_memory_gb ?? detectedGpuMemoryGb()
  if (cardGb === undefined) {
    warn(
      'memory: no GPU detected and no memory.gpu_memory_gb set, so configurations are not checked against GPU memory.',
    )
    return undefined
  }
  // The estimates run low (src/core/memory/README.md): a configuration must fit with the headroom to spare.
  const limitGb = cardGb - m.headroom_gb
  if (!(limitGb > 0))
    throw new UsageError(
      `memory.headroom_gb ${m.headroom_gb} leaves nothing of the ${cardGb} GB GPU. Use a smaller headroom, e.g. 3.`,
    )
  for (const key of [
    'batch_size_param',
    'seq_len_param',
    'lora_rank_param',
    'target_modules_param',
    'gradient_checkpointing_param',
  ] as const) {
    const name = m[key]
    if (name !== undefined && !(name in config.space))
      throw new UsageError(
        `memory.${key} names "${name}", which is not a parameter in space. Use one of: ${Object.keys(config.space).join(', ')}.`,
      )
  }
  if (m.batch_size === undefined && m.batch_size_param === undefined)
    warn('memory: no batch_size or batch_size_param; assuming batch size 1.')
  if (m.seq_len === undefined && m.seq_len_param === undefined)
    warn('memory: no seq_len or seq_len_param; assuming 2048 tokens.')
  const model: ModelShape = typeof m.model === 'string' ? requireModel(m.model) : shapeFromConfig(m.model)
  const input: MemoryInput = {
    model,
    method: m.method as FineTuneMethod,
    batchSize: m.batch_size ?? 1,
    seqLen: m.seq_len ?? 2048,
    ...(m.precision !== undefined ? { precision: m.precision as Precision } : {}),
    ...(m.optimizer !== undefined ? { optimizer: m.optimizer as OptimizerKind } : {}),
    ...(m.lora_rank !== undefined ? { loraRank: m.lora_rank } : {}),
    ...(m.target_modules !== undefined ? { targetModules: m.target_modules as TargetModules } : {}),
    ...(m.lora_dropout !== undefined ? { loraDropout: m.lora_dropout } : {}),
    ...(m.gradient_checkpointing !== undefined ? { gradientCheckpointing: m.gradient_checkpointing } : {}),
    ...(m.sequences_per_sample !== undefined ? { sequencesPerSample: m.sequences_per_sample } : {}),
    ...(m.reference_model !== undefined ? { referenceModel: m.reference_model } : {}),
    ...(m.loss !== undefined ? { loss: m.loss } : {}),
    ...(m.attention !== undefined ? { attention: m.attention } : {}),
    ...(m.num_gpus !== undefined ? { numGpus: m.num_gpus } : {}),
    ...(m.zero_stage !== undefined ? { zeroStage: m.zero_stage } : {}),
  }
  return {
    input,
    limitGb,
    params: {
      batchSize: m.batch_size_param,
      seqLen: m.seq_len_param,
      loraRank: m.lora_rank_param,
      targetModules: m.target_modules_param,
      gradientCheckpointing: m.gradient_checkpointing_param,
    },
  }
}

type ShapeConfig = Exclude<NonNullable<StudyConfig['memory']>['model'], string>

function shapeFromConfig(s: ShapeConfig): ModelShape {
  return {
    name: 'custom',
    layers: s.layers,
    hidden: s.hidden,
    intermediate: s.intermediate,
    heads: s.heads,
    kvHeads: s.kv_heads ?? s.heads,
    ...(s.head_dim !== undefined ? { headDim: s.head_dim } : {}),
    vocab: s.vocab,
    tiedEmbeddings: s.tied_embeddings,
    gatedMlp: s.gated_mlp,
    ...(s.params !== undefined ? { params: s.params } : {}),
  }
}

function detectedGpuMemoryGb(): number | undefined {
  const mib = detectGpus()
    .map((g) => g.memoryMiB)
    .filter((v): v is number => v !== undefined)
  return mib.length === 0 ? undefined : Math.min(...mib) / 1024
}

function requireModel(name: string): ModelShape {
  const m = resolveModel(name)
  if (m === undefined)
    throw new UsageError(
      `Model "${name}" is not in the memory model's catalogue. Known: ${knownModelNames().join(', ')}.`,
    )
  return m
}

function oneOf<T extends string | number>(v: string | number, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly (string | number)[]).includes(v)) return v as T
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, but got "${v}".`)
}

function positive(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number >= 1, but got "${v}".`)
  return n
}

function positiveNumber(v: string, flag: string): number {
  const n = Number(v)
  if (!(n > 0)) throw new UsageError(`${flag} must be a number > 0, but got "${v}".`)
  return n
}

function formatCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : `${(n / 1e6).toFixed(1)}M`
}
