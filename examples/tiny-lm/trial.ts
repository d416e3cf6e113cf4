/**
 * The Winnow trial script for the tiny LM: reads hyperparameters from WINNOW_PARAMS (through the JS client),
 * fine-tunes, reports eval loss / exact match at every evaluation and obeys the answer: on 'prune' it exits,
 * on 'pause' it checkpoints and exits, and WINNOW_TARGET / WINNOW_RESUME_FROM give multi-fidelity resumes.
 * Outside Winnow it runs the defaults (or `--params '{"learning_rate":3e-3}'`) and prints the metrics.
 */
import { connect } from '../../clients/js/winnow-client.ts'
import { FINETUNE_DEFAULTS, type FinetuneOptions, finetune } from './finetune.ts'

/** Converts tuner parameters to fine-tuning options, rejecting unknown names and wrong types. */
export function optionsFromParams(params: Readonly<Record<string, unknown>>): Partial<FinetuneOptions> {
  const out: Record<string, unknown> = {}
  // The demo tunes LoRA's alpha as a ratio of the rank (alpha = ratio × r), a common practice; the `winnow init`
  // recipes fix alpha instead (src/recipes/README.md says why).
  const { lora_alpha_ratio: ratio, ...rest } = params
  if (ratio !== undefined) {
    if (typeof ratio !== 'number' || !(ratio > 0))
      throw new Error(`Parameter "lora_alpha_ratio" must be a number > 0, but got ${JSON.stringify(ratio)}.`)
    if ('lora_alpha' in params) throw new Error('Give either lora_alpha or lora_alpha_ratio, not both.')
    const r = typeof params.lora_r === 'number' ? params.lora_r : FINETUNE_DEFAULTS.lora_r
    out.lora_alpha = Math.max(1, Math.round(ratio * r))
  }
  for (const [name, value] of Object.entries(rest)) {
    if (!(name in FINETUNE_DEFAULTS))
      throw new Error(`Unknown tiny-lm parameter "${name}"; known: ${Object.keys(FINETUNE_DEFAULTS).join(', ')}.`)
    const want = typeof FINETUNE_DEFAULTS[name as keyof FinetuneOptions]
    const v = want === 'number' && typeof value === 'string' ? Number(value) : value
    if (typeof v !== want || (want === 'number' && !Number.isFinite(v))) {
      throw new Error(`Parameter "${name}" must be a ${want}, but got ${JSON.stringify(value)}.`)
    }
    // Integer knobs may arrive as floats from a continuous sampler.
    out[name] = ['batch_size', 'steps', 'lora_r', 'lora_alpha', 'eval_every', 'seed', 'min_len', 'max_len'].includes(
      name,
    )
      ? Math.round(v as number)
      : v
  }
  return out
}

/**
 * Data-subset fidelity (`--data-fractions 0.1,0.3,1`): trains the configuration from the pretrained base on each
 * fraction of the training set in turn (the same number of epochs, so that fraction of the steps) and reports its
 * final eval loss with the fraction as the step, so a scheduler whose resource is `data_fraction` can stop it
 * after a small subset ("tune on a subset first").
 */
async function subsetLadder(w: ReturnType<typeof connect>, params: Record<string, unknown>, fractions: number[]) {
  let last: Awaited<ReturnType<typeof finetune>>['metrics']
  // Tokens the trial has trained on so far, over all its trainings (each fraction trains afresh).
  let tokens = 0
  for (const fraction of fractions) {
    // Epochs stay fixed, so a subset costs its share of the steps: that is where the compute is saved.
    const options = { ...optionsFromParams(params), data_fraction: fraction }
    const steps = Math.max(10, Math.round(fraction * (options.steps ?? FINETUNE_DEFAULTS.steps)))
    const r = await finetune({ ...options, steps, eval_every: steps }, { onEval: async () => 'continue' as const })
    last = r.metrics
    if (last === undefined) return
    if (!w.active)
      console.log(`data ${fraction}: eval_loss ${last.eval_loss.toFixed(4)} accuracy ${last.accuracy.toFixed(3)}`)
    tokens += last.tokens
    const d = await w.report(fraction, { eval_loss: last.eval_loss, accuracy: last.accuracy, tokens })
    if (d.action !== 'continue') return
  }
  if (last) await w.complete({ eval_loss: last.eval_loss, accuracy: last.accuracy })
}

async function main(): Promise<void> {
  const w = connect()
  const ladder = process.argv.indexOf('--data-fractions')
  if (ladder > 0) {
    const fractions = process.argv[ladder + 1].split(',').map(Number)
    if (fractions.some((f) => !(f > 0 && f <= 1)))
      throw new Error(`--data-fractions must list fractions in (0, 1], but got ${process.argv[ladder + 1]}.`)
    return subsetLadder(w, w.active ? w.params : {}, fractions)
  }
  const cli = process.argv.indexOf('--params')
  const params = w.active ? w.params : cli > 0 ? (JSON.parse(process.argv[cli + 1]) as Record<string, unknown>) : {}
  const options = {
    ...optionsFromParams(params),
    checkpoint_dir: w.checkpointDir,
    resume_from: w.resumeFrom,
    target: w.target,
  }
  const result = await finetune(options, {
    async onEval(step, m) {
      if (!w.active) console.log(`step ${step}: eval_loss ${m.eval_loss.toFixed(4)} accuracy ${m.accuracy.toFixed(3)}`)
      const d = await w.report(step, {
        eval_loss: m.eval_loss,
        accuracy: m.accuracy,
        tokens: m.tokens,
        train_loss: m.train_loss,
      })
      return d.action
    },
    onCheckpoint: (path, step) => w.checkpoint(path, step),
  })
  if (result.status === 'completed' && result.metrics) {
    await w.complete({ eval_loss: result.metrics.eval_loss, accuracy: result.metrics.accuracy })
  }
}

await main()
