/**
 * The tiny decoder-only transformer: token + learned position embeddings, pre-LN blocks of causal multi-head
 * attention and a GELU MLP (transformer-block.ts), a final LayerNorm and an output layer tied to the token
 * embedding. Forward and backward are written out by hand; all tensors live in one arena shared with the wasm
 * kernels.
 */
import { Arena } from './arena.ts'
import type { AttnShape } from './attention.ts'
import type { Batch } from './data.ts'
import { createJsKernels, type Kernels } from './kernels-js.ts'
import * as L from './layers.ts'
import type { Ctx, LoraSpec } from './linear.ts'
import { type Param, ParamGroup } from './params.ts'
import { Rng } from './rng.ts'
import {
  addBlockWeights,
  addNorm,
  allocBlockActivations,
  type BlockPass,
  blockBackward,
  blockForward,
  type Norm,
  type TransformerBlock,
} from './transformer-block.ts'
import { createWasmKernels } from './wasm-kernels.ts'

/** Architecture of the model (what the base weights file records). */
export interface ModelConfig {
  vocab: number
  dModel: number
  nHeads: number
  nLayers: number
  /** Number of learned positions (the longest context). */
  maxT: number
}

/** How to build a model instance. */
export interface ModelOptions {
  config: ModelConfig
  /** Sequence length of every batch this instance sees (≤ maxT). */
  T: number
  /** Largest number of sequences per forward pass (activation buffers are sized for it). */
  maxBatch: number
  /** LoRA adapters on every linear layer; the base weights are then frozen. Omit for full fine-tuning. */
  lora?: LoraSpec
  /** Residual dropout after attention and MLP, during training only. @default 0 */
  dropout?: number
  /** Kernel implementation. @default 'wasm' */
  kernels?: 'wasm' | 'js'
  /** Seed for the initial weights (and LoRA A matrices). @default 0 */
  initSeed?: number
}

/** A GPT-style model instance with its own memory, parameters, optimizer state and activation buffers. */
export class TinyGpt {
  readonly arena: Arena
  readonly k: Kernels
  readonly cfg: ModelConfig
  readonly T: number
  readonly maxBatch: number
  /** Base weights (trainable only for full fine-tuning) and LoRA adapters (when enabled). */
  readonly base: ParamGroup
  readonly adapters?: ParamGroup
  readonly dropout: number
  private readonly loraR: number
  private readonly ctx: Ctx
  private readonly wte: Param
  private readonly wpe: Param
  private readonly lnf: Norm
  private readonly blocks: TransformerBlock[] = []
  private readonly b: Record<string, number> = {}

  constructor(o: ModelOptions) {
    const c = o.config
    this.cfg = c
    this.T = o.T
    this.maxBatch = o.maxBatch
    this.dropout = o.dropout ?? 0
    this.loraR = o.lora?.r ?? 0
    if (o.T > c.maxT) throw new Error(`Sequence length ${o.T} exceeds the model's ${c.maxT} positions.`)
    if (c.dModel % c.nHeads !== 0) throw new Error(`dModel ${c.dModel} must be divisible by nHeads ${c.nHeads}.`)
    const D = c.dModel
    const F = 4 * D
    const N = o.maxBatch * o.T
    this.arena = new Arena()
    this.base = new ParamGroup(!o.lora)
    this.adapters = o.lora ? new ParamGroup(true) : undefined
    this.wte = this.base.add('wte', c.vocab * D, true)
    this.wpe = this.base.add('wpe', c.maxT * D, true)
    const layers = []
    for (let l = 0; l < c.nLayers; l++) layers.push(addBlockWeights(this.base, this.adapters, `h${l}`, D, o.lora))
    this.lnf = addNorm(this.base, 'lnf', D)
    this.base.allocate(this.arena)
    this.adapters?.allocate(this.arena)
    const a = (n: number) => this.arena.alloc(n)
    const r = o.lora?.r ?? 0
    const scratch = Math.max(c.vocab * D, D * F, 3 * D * D, o.T * (D / c.nHeads), F * r, 3 * D * r)
    this.k = o.kernels === 'js' ? createJsKernels(() => this.arena.f32) : createWasmKernels(this.arena, scratch)
    const shape = { maxBatch: o.maxBatch, T: o.T, D, H: c.nHeads, withDropout: this.dropout > 0 }
    for (const ly of layers) this.blocks.push(allocBlockActivations(this.arena, ly, shape))
    for (const [name, size] of Object.entries({
      resOut: N * D,
      lnfy: N * D,
      lnfxh: N * D,
      lnfrs: N,
      logits: N * c.vocab,
      dlogits: N * c.vocab,
      qkv: N * 3 * D,
      oh: N * D,
      tmp: N * D,
      dres: N * D,
      da: N * D,
      dy: N * D,
      dq: N * D,
      dk: N * D,
      dv: N * D,
      dO: N * D,
      dP: o.T * o.T,
      dh: N * F,
    })) {
      this.b[name] = a(size)
    }
    this.ctx = { arena: this.arena, k: this.k, rng: new Rng(0) }
    this.init(new Rng(o.initSeed ?? 0))
  }

  /** GPT-2 style init: N(0, 0.02), residual projections scaled by 1/√(2·layers), LN gains 1; LoRA A ~ U(±1/√in), B = 0. */
  private init(rng: Rng): void {
    const h = this.arena.f32
    const resid = 0.02 / Math.sqrt(2 * this.cfg.nLayers)
    for (const p of this.base.params) {
      const std = p.name.endsWith('.b') ? 0 : /proj\.W|fc2\.W/.test(p.name) ? resid : 0.02
      for (let i = 0; i < p.size; i++) h[p.off + i] = p.name.endsWith('.g') ? 1 : std * rng.normal()
    }
    this.initAdapters(rng)
  }

  /** Re-draws the LoRA A matrices from `rng` and zeroes B (called by fine-tuning with the trial seed). */
  initAdapters(rng: Rng): void {
    const h = this.arena.f32
    for (const p of this.adapters?.params ?? []) {
      const bound = 1 / Math.sqrt(p.size / this.loraR) // A is [in, r]: fan-in = size / r
      for (let i = 0; i < p.size; i++) h[p.off + i] = p.name.endsWith('lora_A') ? (2 * rng.next() - 1) * bound : 0
    }
  }

  /** The trainable parameter group (adapters under LoRA, otherwise the base weights). */
  get trainable(): ParamGroup {
    return this.adapters ?? this.base
  }

  /** Forward pass of `batch` (rows ≤ maxBatch, T = this.T) up to the logits. `rng` drives dropout when training. */
  forward(batch: Batch, train: boolean, rng?: Rng): void {
    if (rng) this.ctx.rng = rng
    const { k, b } = this
    const { dModel: D, vocab: V } = this.cfg
    const N = batch.rows * this.T
    const pass = this.pass(batch)
    L.embedFwd(this.arena.f32, this.blocks[0]?.res ?? b.resOut, this.wte.off, this.wpe.off, batch.tokens, N, this.T, D)
    for (let l = 0; l < this.blocks.length; l++)
      blockForward(pass, this.blocks[l], this.blocks[l + 1]?.res ?? b.resOut, train)
    const h = this.arena.f32
    L.layerNormFwd(h, b.lnfy, b.lnfxh, b.lnfrs, b.resOut, this.lnf.g.off, this.lnf.b.off, N, D)
    k.matmulABt(b.logits, b.lnfy, this.wte.off, N, D, V, false)
  }

  /** The state one forward or backward pass of `batch` shares with every block. */
  private pass(batch: Batch): BlockPass {
    const { dModel: D, nHeads: H } = this.cfg
    const s: AttnShape = { B: batch.rows, T: this.T, H, hd: D / H }
    return { ctx: this.ctx, scratch: this.b, s, dropout: this.dropout }
  }

  /** Masked cross-entropy of the last forward pass; with `withGrad`, also fills dlogits (mean over target tokens). */
  loss(batch: Batch, withGrad: boolean): L.LossSum {
    let count = 0
    for (const t of batch.targets) if (t >= 0) count++
    const N = batch.rows * this.T
    return L.crossEntropy(
      this.arena.f32,
      withGrad ? this.b.dlogits : -1,
      this.b.logits,
      batch.targets,
      N,
      this.cfg.vocab,
      this.T,
      1 / Math.max(count, 1),
    )
  }

  /** Backward pass after `forward(train)` and `loss(withGrad)`: accumulates into zeroed trainable gradients. */
  backward(batch: Batch): void {
    const { k, b } = this
    const { dModel: D, vocab: V } = this.cfg
    const N = batch.rows * this.T
    const pass = this.pass(batch)
    const tg = this.trainable
    this.arena.f32.fill(0, tg.grad, tg.grad + tg.size)
    const h = this.arena.f32
    k.matmul(b.da, b.dlogits, this.wte.off, N, V, D, false)
    if (this.wte.grad >= 0) k.matmulAtB(this.wte.grad, b.dlogits, b.lnfy, V, N, D, true)
    h.fill(0, b.dres, b.dres + N * D)
    L.layerNormBwd(h, b.dres, b.da, b.lnfxh, b.lnfrs, this.lnf.g.off, this.lnf.g.grad, this.lnf.b.grad, N, D)
    for (let l = this.blocks.length - 1; l >= 0; l--) blockBackward(pass, this.blocks[l])
    L.embedBwd(h, this.wte.grad, this.wpe.grad, b.dres, batch.tokens, N, this.T, D)
  }

  /** Copies the base weights out (registration order), e.g. to save a pretrained base. */
  exportBase(): Float32Array {
    return this.arena.f32.slice(this.base.data, this.base.data + this.base.size)
  }

  /** Loads base weights written by `exportBase` of a model with the same config. */
  importBase(w: Float32Array): void {
    if (w.length !== this.base.size)
      throw new Error(`Base weights have ${w.length} floats, expected ${this.base.size}.`)
    this.arena.f32.set(w, this.base.data)
  }
}
