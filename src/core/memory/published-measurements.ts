import type { MemoryInput } from './estimate-memory.ts'

/** How a published number relates to peak memory. */
export type MeasurementKind =
  /** A measured peak (nvidia-smi or the PyTorch allocator). */
  | 'measured'
  /** The largest setting that fit a card of this size: the peak is just under the card's memory. */
  | 'largest-that-fits'
  /** "Fits in N GB": the peak is at most N. */
  | 'fits-within'

/** A published GPU-memory figure and the configuration it was measured with. */
export interface PublishedMeasurement {
  readonly label: string
  readonly model: string
  readonly input: Omit<MemoryInput, 'model'>
  readonly publishedGb: number
  readonly kind: MeasurementKind
  readonly source: string
}

const MIB = 1 / 1024

/**
 * Published measurements the memory model is checked against (published-measurements.test.ts). Settings not
 * stated by a source are the framework's defaults at the time, noted in README.md.
 */
export const PUBLISHED_MEASUREMENTS: readonly PublishedMeasurement[] = [
  {
    label: 'BERT-large full FT, fp32, AdamW, batch 4 × 512',
    model: 'bert-large',
    input: {
      method: 'full',
      precision: 'fp32',
      batchSize: 4,
      seqLen: 512,
      attention: 'eager',
      modelDropout: 0.1,
      loss: 'none',
      cudaContextGb: 1.3,
    },
    publishedGb: 14949 * MIB,
    kind: 'measured',
    source: 'HF Transformers docs, "Model training anatomy" (V100, nvidia-smi: 14949 MB; kernels 1343 MB)',
  },
  {
    label: 'BERT-large full FT, fp32, AdamW, batch 1 × 512',
    model: 'bert-large',
    input: {
      method: 'full',
      precision: 'fp32',
      batchSize: 1,
      seqLen: 512,
      attention: 'eager',
      modelDropout: 0.1,
      loss: 'none',
      cudaContextGb: 1.3,
    },
    publishedGb: 8681 * MIB,
    kind: 'measured',
    source: 'HF Transformers docs v4.27, "Efficient training on a single GPU", gradient accumulation (8681 MB)',
  },
  ...[
    [932, 12],
    [2551, 16],
    [5789, 24],
    [12264, 40],
    [15502, 48],
    [28454, 80],
  ].map(
    ([seqLen, gb]): PublishedMeasurement => ({
      label: `Llama-3.1-8B QLoRA r32 all-linear, batch 1 × ${seqLen}, HF + FA2`,
      model: 'llama-3.1-8b',
      input: {
        method: 'qlora',
        batchSize: 1,
        seqLen,
        loraRank: 32,
        targetModules: 'all-linear',
        gradientCheckpointing: true,
        optimizer: 'adamw-8bit',
      },
      publishedGb: gb,
      kind: 'largest-that-fits',
      source: `Unsloth README, context-length table, "Hugging Face + FA2" column (${gb} GB GPU)`,
    }),
  ),
  {
    label: 'Llama-3.3-70B QLoRA r32 all-linear, batch 1 × 6916, HF + FA2',
    model: 'llama-3.3-70b',
    input: {
      method: 'qlora',
      batchSize: 1,
      seqLen: 6916,
      loraRank: 32,
      targetModules: 'all-linear',
      gradientCheckpointing: true,
      optimizer: 'adamw-8bit',
    },
    publishedGb: 80,
    kind: 'largest-that-fits',
    source: 'Unsloth README, Llama 3.3 70B context-length table, "Hugging Face + FA2" column (80 GB A100)',
  },
  ...(
    [
      ['QLoRA', 'qlora', 12.3, {}],
      ['LoRA', 'lora', 21.3, {}],
      [
        'full FT, paged AdamW 8-bit, optimizer in backward',
        'full',
        24.1,
        { precision: 'bf16', optimizer: 'paged-adamw-8bit', optimizerInBackward: true },
      ],
    ] as const
  ).map(
    ([what, method, gb, extra]): PublishedMeasurement => ({
      label: `Llama-2-7B ${what}, batch 4 × 2048, torchtune`,
      model: 'llama-2-7b',
      input: {
        method,
        batchSize: 4,
        seqLen: 2048,
        loraRank: 8,
        targetModules: 'all-linear',
        adapterPrecision: 'bf16',
        gradientCheckpointing: true,
        cudaContextGb: 0, // torchtune reports the allocator's peak reserved memory, without the CUDA context
        ...extra,
      },
      publishedGb: gb,
      kind: 'measured',
      source: 'torchtune README, "peak memory per GPU" table (1 × RTX 4090, peak reserved)',
    }),
  ),
  {
    label: 'LLaMA-65B QLoRA r64 all-linear, batch 1 × 512, paged AdamW',
    model: 'llama-65b',
    input: {
      method: 'qlora',
      batchSize: 1,
      seqLen: 512,
      loraRank: 64,
      targetModules: 'all-linear',
      loraDropout: 0.05,
      adapterPrecision: 'bf16',
      gradientCheckpointing: true,
      optimizer: 'paged-adamw',
    },
    publishedGb: 48,
    kind: 'fits-within',
    source: 'Dettmers et al. 2023, QLoRA: "finetune a 65B parameter model on a single 48GB GPU"',
  },
]
