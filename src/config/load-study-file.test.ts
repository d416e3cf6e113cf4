import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { ConfigError } from './config-error.ts'
import { loadStudyFile, parseStudyFile } from './load-study-file.ts'

const LORA_SFT = `# yaml-language-server: $schema=../schema/study.schema.json
name: qwen-lora-sft
description: LoRA SFT of Qwen2.5-0.5B on a support-ticket dataset
metric: {name: eval_loss, direction: minimize}
command: [accelerate, launch, train.py, --lr, "{learning_rate}", "--lora_r={lora_r}", --output_dir, "{checkpoint_dir}"]
cwd: ../trainer
env: {TOKENIZERS_PARALLELISM: "false", OMP_NUM_THREADS: 4}
space:
  learning_rate:    {type: float, low: 1.0e-5, high: 1.0e-3, log: true}
  lora_r:           {type: categorical, choices: [8, 16, 32, 64]}
  lora_alpha_ratio: {type: categorical, choices: [1, 2]}
  epochs:           {type: int, low: 1, high: 4}
  warmup_ratio:     {type: float, low: 0.0, high: 0.1, step: 0.01}
baseline: {learning_rate: 2.0e-4, lora_r: 16, lora_alpha_ratio: 2, epochs: 2, warmup_ratio: 0.03}
sampler: {type: tpe, seed: 7}
scheduler: {type: asha, resource: {kind: steps, min: 100, max: 2000}, reduction_factor: 3, mode: promotion}
fidelity: {data_fraction: [0.1, 0.3, 1.0]}
budget: {trials: 60, wall_time: 8h, gpu_hours: 24}
resources: {gpus: all, gpus_per_trial: 0.5}
trial: {timeout: 1h30m, grace_period: 60}
checkpoints: {keep: best-and-last, delete_on_prune: true}
early_stopping: {patience: 3, divergence: {above: 10}}
retries: 1
memory: {model: Qwen/Qwen2.5-0.5B, method: lora, gpu_memory_gb: 24, seq_len: 2048}
`

describe('good study files', () => {
  test('a LoRA SFT study with a baseline parses with defaults and resolved paths', () => {
    const c = parseStudyFile(LORA_SFT, '/studies/qwen/study.yaml')
    assert.equal(c.name, 'qwen-lora-sft')
    assert.deepEqual(c.objectives, [{ name: 'eval_loss', direction: 'minimize' }])
    assert.equal(c.file, '/studies/qwen/study.yaml')
    assert.equal(c.cwd, '/studies/trainer')
    assert.equal(c.storage, 'sqlite:/studies/qwen/winnow.db')
    assert.deepEqual(c.env, { TOKENIZERS_PARALLELISM: 'false', OMP_NUM_THREADS: '4' })
    assert.deepEqual(c.space.learning_rate, { type: 'float', low: 1e-5, high: 1e-3, log: true })
    assert.deepEqual(c.space.epochs, { type: 'int', low: 1, high: 4, log: false, step: 1 })
    assert.deepEqual(c.sampler, { type: 'tpe', seed: 7 })
    assert.deepEqual(c.scheduler, {
      type: 'asha',
      resource: { kind: 'steps', min: 100, max: 2000 },
      reduction_factor: 3,
      mode: 'promotion',
    })
    assert.deepEqual(c.budget, { trials: 60, wall_time: 8 * 3600, gpu_hours: 24 })
    assert.deepEqual(c.resources, { gpus: 'all', gpus_per_trial: 0.5 })
    assert.deepEqual(c.trial, { timeout: 5400, grace_period: 60, python_unbuffered: true })
    assert.deepEqual(c.early_stopping, { patience: 3, min_delta: 0, divergence: { nan: true, above: 10 } })
    assert.deepEqual(c.metrics_from, { protocol: true })
    assert.equal(c.retries, 1)
    assert.equal((c.memory as Record<string, unknown>).seq_len, 2048, 'memory is passed through')
  })

  test('a multi-objective study keeps both objectives in order', () => {
    const c = parseStudyFile(
      `name: quality-vs-cost
metrics:
  - {name: eval_loss, direction: minimize}
  - {name: tokens_per_second, direction: maximize}
command: [python, train.py, "--batch={batch_size}"]
space:
  batch_size: {type: categorical, choices: [8, 16, 32]}
sampler: nsga2
storage: postgres://tuner@db/winnow
`,
      'mo.yaml',
    )
    assert.deepEqual(c.objectives, [
      { name: 'eval_loss', direction: 'minimize' },
      { name: 'tokens_per_second', direction: 'maximize' },
    ])
    assert.deepEqual(c.sampler, { type: 'nsga2' })
    assert.equal(c.storage, 'postgres://tuner@db/winnow')
    assert.deepEqual(c.scheduler, { type: 'none' })
  })

  test('a conditional space with a baseline that leaves a branch inactive', () => {
    const c = parseStudyFile(
      `name: cond
metric: {name: loss}
command: [python, train.py, --opt, "{optimizer}", "--momentum={momentum}"]
space:
  momentum: {type: categorical, choices: [0.0, 0.9], when: {optimizer: sgd}}
  optimizer: {type: categorical, choices: [adamw, sgd, lion]}
  nesterov: {type: categorical, choices: [true, false], when: {optimizer: sgd, momentum: [0.9]}}
  beta2: {type: float, low: 0.9, high: 0.999, when: {optimizer: [adamw, lion]}}
baseline: {optimizer: adamw, beta2: 0.999}
`,
      'cond.yaml',
    )
    assert.deepEqual(Object.keys(c.space), ['momentum', 'optimizer', 'nesterov', 'beta2'])
    assert.deepEqual(c.baseline, { optimizer: 'adamw', beta2: 0.999 })
  })

  test('a study that reads metrics from stdout', () => {
    const c = parseStudyFile(
      `name: legacy-script
metric: {name: eval_loss}
command: [python, old_train.py, "{lr}"]
space: {lr: {type: float, low: 0.0001, high: 0.1, log: true}}
metrics_from:
  protocol: false
  stdout_pattern: ["val loss (?<eval_loss>[0-9.eE+-]+)", "acc=(?<acc>[0-9.]+)"]
  step_pattern: "step (?<step>\\\\d+)"
scheduler: median
trial: {python_unbuffered: false}
storage: sqlite:///abs/path.db
`,
      'legacy.yaml',
    )
    assert.deepEqual(c.metrics_from.stdout_pattern, ['val loss (?<eval_loss>[0-9.eE+-]+)', 'acc=(?<acc>[0-9.]+)'])
    assert.equal(c.metrics_from.step_pattern, 'step (?<step>\\d+)')
    assert.equal(c.trial.python_unbuffered, false)
    assert.deepEqual(c.scheduler, { type: 'median' })
    assert.equal(c.storage, 'sqlite:///abs/path.db', 'URL-style sqlite paths are left alone')
  })

  test('successive-halving options reach the scheduler config; a negative confidence is a located error', () => {
    const file = (scheduler: string) =>
      `name: s\nmetric: {name: l}\ncommand: [python, t.py]\nspace: {x: {type: int, low: 1, high: 2}}\nscheduler: ${scheduler}\n`
    const c = parseStudyFile(
      file('{type: auto, resource: {kind: steps, max: 100}, confidence: 0.5, smoothing: 3}'),
      's.yaml',
    )
    assert.deepEqual(c.scheduler, {
      type: 'auto',
      resource: { kind: 'steps', max: 100 },
      confidence: 0.5,
      smoothing: 3,
    })
    const a = parseStudyFile(file('{type: asha, resource: {kind: steps, min: 5, max: 100}, confidence: 1}'), 's.yaml')
    assert.equal((a.scheduler as { confidence?: number }).confidence, 1)
    assert.throws(
      () => parseStudyFile(file('{type: auto, resource: {kind: steps, max: 100}, confidence: -1}'), 's.yaml'),
      (e: unknown) => e instanceof ConfigError && /s\.yaml:5:\d+ scheduler\.confidence/.test(e.message),
    )
  })

  test('a literal brace and built-in placeholders are accepted in the command', () => {
    const c = parseStudyFile(
      'name: b\nmetric: {name: l}\ncommand: [python, -c, "print({{1}})", "--out={checkpoint_dir}/{trial_number}"]\nspace: {x: {type: int, low: 1, high: 2}}\n',
      'b.yaml',
    )
    assert.equal(c.command.length, 4)
  })
})

describe('file-level errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-config-'))
  const expectOne = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ConfigError)
      assert.equal(e.issues.length, 1)
      assert.match(e.message, pattern)
      return true
    })

  test('file not found', () => {
    expectOne(() => loadStudyFile(join(dir, 'nope.yaml')), /nope\.yaml does not exist\. .*winnow init/)
  })
  test('a directory', () => {
    mkdirSync(join(dir, 'sub'))
    expectOne(() => loadStudyFile(join(dir, 'sub')), /sub is a directory, not a study file\./)
  })
  test('an empty file (comments only)', () => {
    writeFileSync(join(dir, 'empty.yaml'), '# nothing yet\n')
    expectOne(() => loadStudyFile(join(dir, 'empty.yaml')), /empty\.yaml:1:1 is empty\. .*winnow init/)
  })
  test('a list at the top level', () => {
    expectOne(() => parseStudyFile('- name: x\n', 's.yaml'), /^s\.yaml:1:1 must be a mapping of fields .* a list\.$/)
  })
  test('a scalar at the top level', () => {
    expectOne(() => parseStudyFile('hello\n', 's.yaml'), /^s\.yaml:1:1 must be a mapping .* a single value\.$/)
  })
  test('a tab used for indentation', () => {
    assert.throws(
      () => parseStudyFile('name: t\nspace:\n\tlr: 1\n', 's.yaml'),
      /s\.yaml:3:1 YAML syntax error: .*Indent with spaces, not tabs\./,
    )
  })
  test('loadStudyFile reads a real file', () => {
    const path = join(dir, 'study.yaml')
    writeFileSync(path, LORA_SFT)
    assert.equal(loadStudyFile(path).name, 'qwen-lora-sft')
  })
})
