/** One tuned parameter of a recipe: its distribution as written in the study file, its baseline and why. */
export interface RecipeParam {
  readonly name: string
  /** The `space:` entry, as YAML flow text, e.g. `{type: float, low: 1.0e-5, high: 1.0e-3, log: true}`. */
  readonly space: string
  readonly baseline: string | number
  /** Where the baseline and range come from (a key of README.md's source list). */
  readonly source: string
}

/** A fine-tuning recipe: what `winnow init --recipe <name>` writes. */
export interface Recipe {
  readonly name: RecipeName
  readonly description: string
  /** Model used when `--model` is not given. */
  readonly defaultModel: string
  /** The training script template in ./templates. */
  readonly template: 'train_sft.py' | 'train_dpo.py'
  /** `--method` passed to the SFT script; the memory model's method. */
  readonly method: 'full' | 'lora' | 'qlora'
  readonly params: readonly RecipeParam[]
  /** `memory:` settings besides model, method and the parameter mapping (YAML lines, 2-space indented). */
  readonly memory: readonly string[]
  /** Fixed sequence length given to the script and the memory model. */
  readonly seqLen: number
  /**
   * Settings kept fixed (train.py's DEFAULTS, not searched), with why: the batch (per device × accumulation) and,
   * for LoRA, alpha. See `FIXED_BATCH` and `loraParams`.
   */
  readonly fixed: Readonly<Record<string, number>>
}

/** Recipe names. */
export const RECIPE_NAMES = ['lora-sft', 'qlora-sft', 'full-sft', 'dpo'] as const
/** A recipe name. */
export type RecipeName = (typeof RECIPE_NAMES)[number]

/**
 * The batch is fixed, not searched: ASHA and the budget count optimizer steps, and a trial with a larger effective
 * batch sees proportionally more data per step, so it would win at every rung for that reason alone (and per-device
 * batch × accumulation with the same product is the same optimisation). 1 × 16 is QLoRA's effective batch 16 in the
 * smallest memory. To tune the batch size, fix the number of epochs instead of steps and run without a step scheduler.
 */
const FIXED_BATCH = { per_device_train_batch_size: 1, gradient_accumulation_steps: 16 } as const

/**
 * LoRA's rank, dropout and target modules. alpha is fixed (16, the QLoRA and Unsloth value), not searched: with
 * PEFT's alpha/r scaling and Adam, changing alpha acts like changing the learning rate (Hu et al. 2021, who fix
 * alpha so that the rank can change without retuning), and the learning rate is searched already.
 */
const loraParams = (r: number, dropout: number, source: string): RecipeParam[] => [
  { name: 'lora_r', space: '{type: categorical, choices: [8, 16, 32, 64, 128, 256]}', baseline: r, source },
  { name: 'lora_dropout', space: '{type: categorical, choices: [0.0, 0.05, 0.1]}', baseline: dropout, source },
  {
    name: 'lora_target_modules',
    space: '{type: categorical, choices: [all-linear, attention]}',
    baseline: 'all-linear',
    source: 'qlora-paper',
  },
]

/** The recipes, with literature-backed baselines and ranges (README.md cites each). */
export const RECIPES: Readonly<Record<RecipeName, Recipe>> = {
  'lora-sft': {
    name: 'lora-sft',
    description: 'LoRA supervised fine-tuning (16-bit base, adapters on all linear layers)',
    defaultModel: 'Qwen/Qwen2.5-7B',
    template: 'train_sft.py',
    method: 'lora',
    seqLen: 2048,
    fixed: { ...FIXED_BATCH, lora_alpha: 16 },
    params: [
      // LoRA's best learning rate is ~10x full fine-tuning's: the range is full-sft's shifted up a decade.
      {
        name: 'learning_rate',
        space: '{type: float, low: 1.0e-5, high: 1.0e-3, log: true}',
        baseline: 2.0e-4,
        source: 'unsloth',
      },
      ...loraParams(16, 0.05, 'unsloth'),
      { name: 'warmup_ratio', space: '{type: float, low: 0.0, high: 0.1}', baseline: 0.03, source: 'qlora-paper' },
      {
        name: 'weight_decay',
        space: '{type: categorical, choices: [0.0, 0.01, 0.1]}',
        baseline: 0.0,
        source: 'hf-trainer',
      },
      {
        name: 'lr_scheduler_type',
        space: '{type: categorical, choices: [cosine, linear, constant_with_warmup]}',
        baseline: 'cosine',
        source: 'axolotl',
      },
    ],
    memory: ['  precision: bf16', '  optimizer: adamw', '  gradient_checkpointing: true'],
  },
  'qlora-sft': {
    name: 'qlora-sft',
    description:
      'QLoRA: LoRA on a 4-bit NF4 base with double quantisation and a paged optimizer (Dettmers et al. 2023)',
    defaultModel: 'Qwen/Qwen2.5-7B',
    template: 'train_sft.py',
    method: 'qlora',
    seqLen: 2048,
    fixed: { ...FIXED_BATCH, lora_alpha: 16 },
    params: [
      {
        name: 'learning_rate',
        space: '{type: float, low: 1.0e-5, high: 1.0e-3, log: true}',
        baseline: 2.0e-4,
        source: 'qlora-paper',
      },
      ...loraParams(64, 0.1, 'qlora-paper'),
      { name: 'warmup_ratio', space: '{type: float, low: 0.0, high: 0.1}', baseline: 0.03, source: 'qlora-paper' },
      {
        name: 'weight_decay',
        space: '{type: categorical, choices: [0.0, 0.01, 0.1]}',
        baseline: 0.0,
        source: 'qlora-paper',
      },
      {
        name: 'lr_scheduler_type',
        space: '{type: categorical, choices: [constant_with_warmup, cosine, linear]}',
        baseline: 'constant_with_warmup',
        source: 'qlora-paper',
      },
      {
        name: 'max_grad_norm',
        space: '{type: categorical, choices: [0.3, 1.0]}',
        baseline: 0.3,
        source: 'qlora-paper',
      },
    ],
    memory: ['  optimizer: paged-adamw', '  gradient_checkpointing: true', '  lora_dropout: 0.1'],
  },
  'full-sft': {
    name: 'full-sft',
    description: 'Full-parameter supervised fine-tuning (fp32 master weights, bf16 autocast, AdamW)',
    defaultModel: 'Qwen/Qwen2.5-1.5B',
    template: 'train_sft.py',
    method: 'full',
    seqLen: 2048,
    fixed: FIXED_BATCH,
    params: [
      {
        name: 'learning_rate',
        space: '{type: float, low: 1.0e-6, high: 1.0e-4, log: true}',
        baseline: 2.0e-5,
        source: 'alpaca',
      },
      { name: 'warmup_ratio', space: '{type: float, low: 0.0, high: 0.1}', baseline: 0.03, source: 'alpaca' },
      {
        name: 'weight_decay',
        space: '{type: categorical, choices: [0.0, 0.01, 0.1]}',
        baseline: 0.0,
        source: 'alpaca',
      },
      {
        name: 'lr_scheduler_type',
        space: '{type: categorical, choices: [cosine, linear, constant_with_warmup]}',
        baseline: 'cosine',
        source: 'alpaca',
      },
    ],
    memory: ['  precision: mixed', '  optimizer: adamw', '  gradient_checkpointing: true'],
  },
  dpo: {
    name: 'dpo',
    description: 'Direct Preference Optimization (full parameters, frozen reference copy) with TRL',
    defaultModel: 'Qwen/Qwen2.5-1.5B-Instruct',
    template: 'train_dpo.py',
    method: 'full',
    seqLen: 1024,
    fixed: FIXED_BATCH,
    params: [
      {
        name: 'learning_rate',
        space: '{type: float, low: 5.0e-7, high: 5.0e-6, log: true}',
        baseline: 1.0e-6,
        source: 'trl-dpo',
      },
      // beta is not tuned: the DPO loss −log σ(β·margin) depends on β itself, so eval_loss of different betas is not
      // comparable and minimising it would tune β, not alignment. train.py keeps β = 0.1 (the DPO paper's).
      { name: 'warmup_ratio', space: '{type: float, low: 0.0, high: 0.15}', baseline: 0.1, source: 'zephyr' },
      {
        name: 'lr_scheduler_type',
        space: '{type: categorical, choices: [linear, cosine]}',
        baseline: 'linear',
        source: 'hf-trainer',
      },
    ],
    memory: [
      '  precision: mixed',
      '  optimizer: adamw',
      '  gradient_checkpointing: true',
      '  sequences_per_sample: 2   # chosen + rejected',
      '  reference_model: true     # TRL keeps a frozen copy for full-parameter DPO',
    ],
  },
}
