import { resolveModel } from '../core/memory/index.ts'
import type { Recipe } from './recipes.ts'

/** Full fidelity in optimizer steps: the scheduler's resource max and train.py's --max_steps (one schedule). */
const FULL_STEPS = 900

/** Options of `renderStudy`. */
export interface RenderOptions {
  /** Hugging Face id or local path of the model. */
  readonly model: string
  /** Study name. @default `<model>-<recipe>` */
  readonly name?: string
}

/** A study name from a model and recipe: `Qwen/Qwen2.5-7B` + `lora-sft` → `qwen2.5-7b-lora-sft`. */
export function studyName(model: string, recipe: string): string {
  const base = model
    .replace(/\/+$/, '')
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
  return `${base.replace(/^[^a-z0-9]+/, '') || 'model'}-${recipe}`
}

/**
 * The `study.yaml` text of a recipe: search space and baseline (with their sources), sampler auto, ASHA on
 * training steps, budget, resources and the `memory:` block that keeps configurations too big for the GPU
 * from launching. The model's shape comes from the memory model's catalogue; an unknown model gets the block
 * commented out with a note on how to give its shape.
 */
export function renderStudy(recipe: Recipe, o: RenderOptions): string {
  const known = resolveModel(o.model) !== undefined
  const lines = [
    `# Written by \`winnow init --recipe ${recipe.name}\`. Baselines and ranges: src/recipes/README.md (sources per value).`,
    `# Run: winnow tune study.yaml     Estimate memory: winnow memory --model ${o.model} --method ${recipe.method}`,
    `name: ${o.name ?? studyName(o.model, recipe.name)}`,
    `description: ${JSON.stringify(recipe.description)}`,
    'metric: {name: eval_loss, direction: minimize}',
    `command: [python3, train.py, --model_name_or_path, ${JSON.stringify(o.model)}, --method, ${recipe.method}, --max_seq_length, "${recipe.seqLen}", --max_steps, "${FULL_STEPS}"]`,
    'space:',
    ...recipe.params.map((p) => `  ${p.name}: ${p.space}   # ${p.source}`),
    `# Fixed in train.py, not searched: ${Object.entries(recipe.fixed)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}. The budget counts optimizer steps, so a larger`,
    '# batch would win by seeing more data per step; to tune it, budget epochs and drop the scheduler (src/recipes/README.md).',
    '# The published default configuration runs first (trial #0) and to full length: the bar to beat.',
    'baseline:',
    ...recipe.params.map((p) => `  ${p.name}: ${typeof p.baseline === 'number' ? yamlNumber(p.baseline) : p.baseline}`),
    'sampler: auto',
    '# Asynchronous successive halving on optimizer steps: a trial goes past 100 and 300 steps only while it is in',
    '# the best third of the trials that got there (train.py evaluates every 50 steps).',
    `scheduler: {type: asha, mode: stopping, resource: {kind: steps, min: 100, max: ${FULL_STEPS}}, reduction_factor: 3}`,
    `# --max_steps above is the same ${FULL_STEPS}: every trial runs that learning-rate schedule; change both together.`,
    'budget: {trials: 40, wall_time: 24h}',
    'resources: {gpus: all, gpus_per_trial: 1}',
    'checkpoints: {keep: best-and-last, delete_on_prune: true}',
    'storage: sqlite:winnow.db',
    '# GPU-memory model: configurations estimated not to fit are recorded infeasible instead of launched.',
    '# gpu_memory_gb defaults to the smallest GPU nvidia-smi reports; set it to plan for another card. The estimates',
    '# run 3-20 % low: headroom_gb: 3 keeps 3 GB free (the lora-sft baseline on a 24 GB card then does not pass).',
  ]
  const memory = [
    'memory:',
    `  model: ${JSON.stringify(o.model)}`,
    `  method: ${recipe.method}`,
    `  batch_size: ${recipe.fixed.per_device_train_batch_size}`,
    `  seq_len: ${recipe.seqLen}`,
    ...(recipe.method === 'full' ? [] : ['  lora_rank_param: lora_r', '  target_modules_param: lora_target_modules']),
    ...recipe.memory,
  ]
  if (known) lines.push(...memory)
  else
    lines.push(
      `# "${o.model}" is not in the memory model's catalogue (winnow memory --list): give its shape as`,
      '# model: {layers: 32, hidden: 4096, intermediate: 14336, heads: 32, kv_heads: 8, vocab: 128256} and uncomment.',
      ...memory.map((l) => `# ${l}`),
    )
  return `${lines.join('\n')}\n`
}

/** A number as YAML that reads back as the same float (1.0e-5 rather than 0.00001, 0.0 rather than 0). */
function yamlNumber(v: number): string {
  if (Number.isInteger(v)) return Math.abs(v) >= 1 ? String(v) : '0.0'
  if (Math.abs(v) < 1e-3)
    return v
      .toExponential()
      .replace(/e([+-])(\d)$/, 'e$10$2')
      .replace(/^(\d)e/, '$1.0e')
  return String(v)
}
