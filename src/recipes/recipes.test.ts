import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { ConfigError } from '../config/config-error.ts'
import { loadStudyFile, parseStudyFile } from '../config/index.ts'
import { RECIPE_NAMES, RECIPES } from './recipes.ts'
import { studyName } from './render-study.ts'
import { writeRecipe } from './write-recipe.ts'

const tmp = () => mkdtempSync(join(tmpdir(), 'winnow-recipe-'))

// Prints train.py's DEFAULTS dict (argv[1]) as JSON.
const READ_DEFAULTS = [
  'import ast, json, sys',
  'src = open(sys.argv[1]).read()',
  'start = src.index("DEFAULTS = ") + len("DEFAULTS = ")',
  'print(json.dumps(ast.literal_eval(src[start:src.index("\\n}\\n", start) + 2])))',
].join('\n')

describe('winnow init recipes', () => {
  for (const name of RECIPE_NAMES)
    test(`${name}: study.yaml validates, the baseline is in the space, the memory block resolves`, () => {
      const dir = tmp()
      const paths = writeRecipe({ recipe: name, dir })
      assert.deepEqual(paths, [join(dir, 'study.yaml'), join(dir, 'train.py')])
      const c = loadStudyFile(paths[0])
      const recipe = RECIPES[name]
      assert.deepEqual(
        Object.keys(c.space),
        recipe.params.map((p) => p.name),
      )
      assert.equal(Object.keys(c.baseline ?? {}).length, recipe.params.length)
      assert.equal(c.scheduler.type, 'asha')
      assert.equal(c.sampler.type, 'auto')
      assert.equal(c.memory?.method, recipe.method)
      // The batch is fixed (a step budget would favour larger ones); the memory model gets its value.
      assert.equal(c.memory?.batch_size, recipe.fixed.per_device_train_batch_size)
      assert.ok(!('per_device_train_batch_size' in c.space) && !('gradient_accumulation_steps' in c.space))
      assert.match(readFileSync(paths[1], 'utf8'), /WinnowCallback/)
      // Run by hand, train.py trains trial #0: its DEFAULTS are the study's baseline (read by Python itself).
      const read = spawnSync('/usr/bin/python3', ['-c', READ_DEFAULTS, paths[1]], { encoding: 'utf8' })
      assert.equal(read.status, 0, read.stderr)
      const values = JSON.parse(read.stdout) as Record<string, unknown>
      for (const [k, v] of Object.entries({ ...c.baseline, ...recipe.fixed }))
        assert.equal(values[k], v, `${name} train.py DEFAULTS["${k}"]`)
      // Every trial runs the full learning-rate schedule; the scheduler stops it at a rung through the callback.
      const script = readFileSync(paths[1], 'utf8')
      assert.match(script, /max_steps=args\.max_steps,/)
      assert.doesNotMatch(script, /w\.target/)
      // SFT counts tokens; TRL's DPO batches have no input_ids, so the Trainer could not count them there.
      if (recipe.template === 'train_sft.py') assert.match(script, /include_num_input_tokens_seen=True/)
      // One schedule: the command's --max_steps is the scheduler's resource max.
      assert.equal(c.command.at(-1), String(c.scheduler.resource?.max))
      assert.match(script, /save_strategy="steps"/)
    })

  test('LoRA recipes fix alpha and search learning rates a decade above full fine-tuning', () => {
    const range = (r: keyof typeof RECIPES) => {
      const lr = parseStudyFile(
        `name: x\nmetric: {name: l}\ncommand: [a]\nspace:\n  lr: ${RECIPES[r].params.find((p) => p.name === 'learning_rate')!.space}\n`,
        'x.yaml',
      ).space.lr
      return lr.type === 'float' ? [lr.low, lr.high] : []
    }
    const [lo, hi] = range('lora-sft')
    const [flo, fhi] = range('full-sft')
    assert.ok(Math.abs(lo / flo - 10) < 1e-9 && Math.abs(hi / fhi - 10) < 1e-9)
    for (const r of ['lora-sft', 'qlora-sft'] as const) {
      assert.ok(!RECIPES[r].params.some((p) => p.name.startsWith('lora_alpha')), `${r} searches no alpha`)
      assert.equal(RECIPES[r].fixed.lora_alpha, 16)
    }
  })

  test('refuses to overwrite without --force; an unknown model gets a commented-out memory block', () => {
    const dir = tmp()
    writeRecipe({ recipe: 'dpo', dir })
    assert.throws(() => writeRecipe({ recipe: 'dpo', dir }), /already exist.*--force/)
    writeRecipe({ recipe: 'lora-sft', dir, model: 'acme/secret-model-3b', force: true })
    const c = loadStudyFile(join(dir, 'study.yaml'))
    assert.equal(c.memory, undefined)
    assert.equal(c.name, 'secret-model-3b-lora-sft')
    assert.throws(() => writeRecipe({ recipe: 'nope', dir }), /Unknown recipe "nope"/)
    assert.equal(studyName('Qwen/Qwen2.5-7B', 'qlora-sft'), 'qwen2.5-7b-qlora-sft')
  })

  test('an unknown memory.model is a located config error with a suggestion', () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 's.yaml'),
      'name: x\nmetric: {name: l}\ncommand: [a]\nspace:\n  b: {type: int, low: 1, high: 8}\nmemory: {model: lama-3-8b, batch_size_param: b, seq_len: 512}\n',
    )
    assert.throws(
      () => loadStudyFile(join(dir, 's.yaml')),
      (e: unknown) => e instanceof ConfigError && /memory\.model.*Did you mean "llama-3-8b"/s.test(e.message),
    )
  })

  test('train.py fails in a second with one clear line and exit code 2 when the model is absent and offline', () => {
    const dir = tmp()
    writeRecipe({ recipe: 'qlora-sft', dir, model: 'meta-llama/Llama-3.1-8B' })
    const r = spawnSync('python3', ['train.py', '--model_name_or_path', 'meta-llama/Llama-3.1-8B'], {
      cwd: dir,
      env: { ...process.env, HF_HUB_OFFLINE: '1', PYTHONPATH: join(import.meta.dirname, '../../clients/python') },
      encoding: 'utf8',
      timeout: 20_000,
    })
    assert.equal(r.status, 2, r.stderr)
    assert.equal(
      r.stderr.trim(),
      "Model 'meta-llama/Llama-3.1-8B' not found locally and no network access: download it first (huggingface-cli download meta-llama/Llama-3.1-8B) or set model_name_or_path",
    )
  })

  test('`winnow tune` on a generated study fails only because the weights are absent, with the message in the log tail', async () => {
    const { runStudyFile } = await import('../cli/run-study.ts')
    const dir = tmp()
    writeRecipe({ recipe: 'lora-sft', dir })
    const before = process.env.HF_HUB_OFFLINE
    process.env.HF_HUB_OFFLINE = '1'
    const sink = { write: () => true } as unknown as NodeJS.WriteStream
    try {
      const config = loadStudyFile(join(dir, 'study.yaml'))
      const result = await runStudyFile(config, { trials: 2, quiet: true, stream: sink })
      try {
        assert.equal(result.summary.failed, 2)
        for (const t of await result.study.trials()) {
          assert.equal(t.state, 'FAIL')
          const exit = t.systemAttrs.exit as { code: number; logTail: string }
          assert.equal(exit.code, 2)
          assert.match(exit.logTail, /Model 'Qwen\/Qwen2.5-7B' not found locally and no network access/)
        }
      } finally {
        await result.storage.close()
      }
    } finally {
      if (before === undefined) delete process.env.HF_HUB_OFFLINE
      else process.env.HF_HUB_OFFLINE = before
    }
  })
})
