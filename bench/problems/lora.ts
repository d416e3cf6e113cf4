/**
 * `lora-sft-surrogate` (PROBLEMS.md §3) and `lora-sft-curves` (§4): a synthetic, structured stand-in for the eval
 * loss of a LoRA supervised fine-tuning run, with hashed noise, and its 100-step learning curves.
 */
import { hashNormal, noiseKey, spaceCodec } from './noise.ts'
import type { BenchProblem, CurveProblem, Distribution, Evaluation, ParamValue, ParamValues } from './types.ts'

/** Name of the final-value problem; also the prefix of the `final` noise key used by both problems. */
export const SURROGATE = 'lora-sft-surrogate'
/** Name of the learning-curve problem; prefix of the `kappa` and `t=<step>` noise keys. */
export const CURVES = 'lora-sft-curves'

/** The 10-parameter search space (§3.1). */
export const LORA_SPACE: Readonly<Record<string, Distribution>> = {
  learning_rate: { kind: 'float', low: 1e-6, high: 1e-2, log: true },
  lora_r: { kind: 'categorical', choices: [4, 8, 16, 32, 64, 128] },
  lora_alpha_ratio: { kind: 'categorical', choices: [0.5, 1, 2, 4] },
  per_device_batch_size: { kind: 'categorical', choices: [1, 2, 4, 8, 16] },
  grad_accum: { kind: 'int', low: 1, high: 16, log: true, step: 1 },
  warmup_ratio: { kind: 'float', low: 0, high: 0.2, log: false },
  weight_decay: { kind: 'float', low: 0, high: 0.3, log: false },
  lr_scheduler: { kind: 'categorical', choices: ['linear', 'cosine', 'constant'] },
  epochs: { kind: 'int', low: 1, high: 5, log: false, step: 1 },
  lora_dropout: { kind: 'float', low: 0, high: 0.3, log: false },
}

/** Hashing labels of the categorical choices, exactly as written in PROBLEMS.md. */
export const LORA_LABELS: Readonly<Record<string, readonly string[]>> = {
  lora_r: ['4', '8', '16', '32', '64', '128'],
  lora_alpha_ratio: ['0.5', '1', '2', '4'],
  per_device_batch_size: ['1', '2', '4', '8', '16'],
  lr_scheduler: ['linear', 'cosine', 'constant'],
}

/** Approximate optimum of the noiseless surrogate (§3.4, `_optima.py`). */
export const LORA_FSTAR = 1.2888157323434537
/** The alpha-ratio-4 minimiser, full precision (`_optima.py`). */
export const LORA_XSTAR: ParamValues = {
  learning_rate: 5.3310114427089396e-5,
  lora_r: 64,
  lora_alpha_ratio: 4,
  per_device_batch_size: 1,
  grad_accum: 6,
  warmup_ratio: 0.05000000010461684,
  weight_decay: 0.18300446808054407,
  lr_scheduler: 'cosine',
  epochs: 2,
  lora_dropout: 0.15250372507032683,
}

const INIT_LOSS = 2.0
const DIVERGED_LOSS = 10.3735
const NOISE_SD = 0.01
const CURVE_STEPS = 100
const CURVE_NOISE_SD = 0.015
const SCHED: Readonly<Record<string, number>> = { linear: 0, cosine: -0.01, constant: 0.03 }

/** The decomposition of the noiseless surrogate (§3.2); `clean` is the value. */
export interface LoraTerms {
  B: number
  S: number
  m: number
  d: number
  tDiv: number
  diverged: boolean
  lr: number
  rank: number
  fit: number
  gn: number
  epochs: number
  overfit: number
  reg: number
  sched: number
  warmup: number
  clean: number
}

const codec = spaceCodec(SURROGATE, LORA_SPACE, LORA_LABELS)

/** Noiseless terms of a resolved configuration (categoricals already mapped to their choices). */
export function loraTerms(p: Readonly<Record<string, ParamValue>>): LoraTerms {
  const lr = p.learning_rate as number
  const r = p.lora_r as number
  const a = p.lora_alpha_ratio as number
  const bs = p.per_device_batch_size as number
  const ga = p.grad_accum as number
  const wu = p.warmup_ratio as number
  const wd = p.weight_decay as number
  const sch = p.lr_scheduler as string
  const ep = p.epochs as number
  const dp = p.lora_dropout as number

  const B = bs * ga
  const S = (ep * 10000.0) / B
  const m =
    Math.log10(2e-4) +
    0.5 * Math.log10(B / 16.0) -
    Math.log10(a / 2.0) -
    0.1 * Math.log10(r / 16.0) +
    (sch === 'constant' ? -0.15 : 0.0)
  const d = Math.log10(lr) - m
  const tDiv = 0.9 + 2.0 * wu
  const t = {
    B,
    S,
    m,
    d,
    tDiv,
    diverged: d > tDiv,
    lr: d <= 0 ? 0.8 * (1.0 - Math.exp(-0.35 * d * d)) : 1.2 * d * d,
    rank: 0.12 * Math.sqrt(4.0 / r),
    fit: 0.3 * Math.sqrt(100.0 / (S + 100.0)),
    gn: 0.12 / Math.sqrt(B),
    epochs: 0.08 / ep,
    overfit: 0.02 * (ep - 1.0) ** 1.5 * (r / 16.0) ** 0.75 * Math.exp(-dp / 0.2 - wd / 0.5),
    reg: 0.3 * dp * dp + 0.1 * wd * wd,
    sched: SCHED[sch],
    warmup: 0.5 * (wu - 0.05) ** 2,
  }
  const clean = t.diverged
    ? DIVERGED_LOSS
    : 1.1 + t.lr + t.rank + t.fit + t.gn + t.epochs + t.overfit + t.reg + t.sched + t.warmup
  return { ...t, clean }
}

/** Everything one (params, seed) needs for the surrogate and its curve, computed once. */
interface Prepared {
  canonical: string
  terms: LoraTerms
  finalObserved: number
}

function prepare(params: ParamValues, seed: number): Prepared {
  const p = codec.resolve(params)
  const canonical = codec.canonical(p)
  const terms = loraTerms(p)
  const z = hashNormal(noiseKey(SURROGATE, seed, canonical, 'final'))
  return { canonical, terms, finalObserved: terms.clean + NOISE_SD * z }
}

/** The canonical string of a lora configuration (§0, e.g. `epochs=3;grad_accum=8;learning_rate=3f1a…`). */
export function loraCanonical(params: ParamValues): string {
  return codec.canonical(codec.resolve(params))
}

const kappaBase = (d: number) => 0.5 + 7.5 / (1.0 + Math.exp(-2.0 * (d + 0.5)))

/** Convergence rate of the curve, including the per-configuration rate noise (§4). */
export function loraKappa(params: ParamValues, seed: number): number {
  const { canonical, terms } = prepare(params, seed)
  return kappaBase(terms.d) * Math.exp(0.2 * hashNormal(noiseKey(CURVES, seed, canonical, 'kappa')))
}

/** g(t): 1 at t = 0, 0 at t = 100. */
function progress(kappa: number, step: number): number {
  const ek = Math.exp(-kappa)
  return (Math.exp((-kappa * step) / CURVE_STEPS) - ek) / (1.0 - ek)
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 1 || step > CURVE_STEPS)
    throw new RangeError(`${CURVES}: step must be an integer in 1..${CURVE_STEPS}, got ${step}`)
}

/** The final-value problem (§3): observed = clean + 0.01·N(final key). */
export const loraSurrogate: BenchProblem = {
  name: SURROGATE,
  space: LORA_SPACE,
  fstar: LORA_FSTAR,
  noisy: true,
  xstar: LORA_XSTAR,
  evaluate(params: ParamValues, seed: number): Evaluation {
    const { terms, finalObserved } = prepare(params, seed)
    return { observed: finalObserved, clean: terms.clean }
  },
}

/**
 * The learning-curve problem (§4). `evaluate` and `evaluateAt(…, 100)` give the surrogate's value. The clean value
 * at step t is the curve with every noise term set to 0 (noiseless final value, kappa without rate noise, no
 * per-step noise), so it is seed-independent and equals the surrogate's clean value at step 100.
 */
export const loraCurves: CurveProblem = {
  name: CURVES,
  space: LORA_SPACE,
  fstar: LORA_FSTAR,
  noisy: true,
  xstar: LORA_XSTAR,
  maxStep: CURVE_STEPS,
  evaluate: loraSurrogate.evaluate,
  evaluateAt(params: ParamValues, seed: number, step: number): Evaluation {
    checkStep(step)
    const { canonical, terms, finalObserved } = prepare(params, seed)
    const clean = terms.clean + (INIT_LOSS - terms.clean) * progress(kappaBase(terms.d), step)
    const kappa = kappaBase(terms.d) * Math.exp(0.2 * hashNormal(noiseKey(CURVES, seed, canonical, 'kappa')))
    const eps = step < CURVE_STEPS ? CURVE_NOISE_SD * hashNormal(noiseKey(CURVES, seed, canonical, `t=${step}`)) : 0
    const observed = finalObserved + (INIT_LOSS - terms.clean) * progress(kappa, step) + eps
    return { observed, clean }
  },
}
