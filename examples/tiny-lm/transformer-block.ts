/**
 * One pre-LN transformer block of the tiny LM: x + attn(LN(x)), then + MLP(LN(·)) with a GELU MLP of width
 * 4·D, with optional residual dropout. Its weights, the activations kept for its backward pass, and its
 * forward and backward passes; the model (model.ts) stacks the blocks between the embeddings and the head.
 */
import type { Arena } from './arena.ts'
import * as A from './attention.ts'
import * as L from './layers.ts'
import { type Ctx, Linear, type LoraSpec } from './linear.ts'
import type { Param, ParamGroup } from './params.ts'

/** A LayerNorm's gain and bias. */
export interface Norm {
  g: Param
  b: Param
}

/** Registers a LayerNorm's gain (`<name>.g`) and bias (`<name>.b`) of `dim` elements in `group`. */
export function addNorm(group: ParamGroup, name: string, dim: number): Norm {
  return { g: group.add(`${name}.g`, dim, false), b: group.add(`${name}.b`, dim, false) }
}

/** The weights of one block. */
export interface BlockWeights {
  ln1: Norm
  qkv: Linear
  proj: Linear
  ln2: Norm
  fc1: Linear
  fc2: Linear
}

/** One block: its weights and the per-layer activations (arena offsets) kept for the backward pass. */
export interface TransformerBlock extends BlockWeights {
  res: number
  ln1y: number
  ln1xh: number
  ln1rs: number
  q: number
  k: number
  v: number
  P: number
  om: number
  mask1: number
  mid: number
  ln2y: number
  ln2xh: number
  ln2rs: number
  h1: number
  h1g: number
  mask2: number
}

/**
 * Registers the weights of block `prefix` (e.g. `h0`) of width `D` in `base`, and its LoRA adapters in
 * `adapters` when `lora` is given. The order of registration is the order of the base weights file.
 */
export function addBlockWeights(
  base: ParamGroup,
  adapters: ParamGroup | undefined,
  prefix: string,
  D: number,
  lora: LoraSpec | undefined,
): BlockWeights {
  const lin = (n: string, i: number, out: number) => new Linear(base, adapters, `${prefix}.${n}`, i, out, lora)
  return {
    ln1: addNorm(base, `${prefix}.ln1`, D),
    qkv: lin('qkv', D, 3 * D),
    proj: lin('proj', D, D),
    ln2: addNorm(base, `${prefix}.ln2`, D),
    fc1: lin('fc1', D, 4 * D),
    fc2: lin('fc2', 4 * D, D),
  }
}

/** The sizes a block's activation buffers are allocated for. */
export interface BlockBufferShape {
  /** Largest number of sequences per pass. */
  maxBatch: number
  /** Sequence length. */
  T: number
  /** Width and number of attention heads. */
  D: number
  H: number
  /** Allocate dropout masks (only when the model trains with dropout). */
  withDropout: boolean
}

/** Allocates the activation buffers of one block (its linear layers' too) after the parameters are laid out. */
export function allocBlockActivations(arena: Arena, w: BlockWeights, shape: BlockBufferShape): TransformerBlock {
  const { maxBatch, T, D, H } = shape
  const N = maxBatch * T
  const F = 4 * D
  const a = (n: number) => arena.alloc(n)
  for (const lin of [w.qkv, w.proj, w.fc1, w.fc2]) lin.allocActs(arena, N)
  const drop = shape.withDropout ? N * D : 0
  return {
    ...w,
    res: a(N * D),
    ln1y: a(N * D),
    ln1xh: a(N * D),
    ln1rs: a(N),
    q: a(N * D),
    k: a(N * D),
    v: a(N * D),
    P: a(maxBatch * H * T * T),
    om: a(N * D),
    mask1: a(drop),
    mid: a(N * D),
    ln2y: a(N * D),
    ln2xh: a(N * D),
    ln2rs: a(N),
    h1: a(N * F),
    h1g: a(N * F),
    mask2: a(drop),
  }
}

/**
 * What one pass through the blocks shares: the run-time context (its rng drives dropout), the scratch
 * tensors every block reuses (arena offsets by name: qkv, oh, tmp, dres, da, dy, dq, dk, dv, dO, dP, dh),
 * the batch's attention shape and the residual dropout rate.
 */
export interface BlockPass {
  ctx: Ctx
  scratch: Readonly<Record<string, number>>
  s: A.AttnShape
  dropout: number
}

/** Forward pass of block `x` from its input `x.res` to `out`; records what `blockBackward` needs. */
export function blockForward(p: BlockPass, x: TransformerBlock, out: number, train: boolean): void {
  const { ctx, scratch: b, s } = p
  const { arena, k } = ctx
  const N = s.B * s.T
  const D = s.H * s.hd
  const drop = train && p.dropout > 0
  let h = arena.f32
  L.layerNormFwd(h, x.ln1y, x.ln1xh, x.ln1rs, x.res, x.ln1.g.off, x.ln1.b.off, N, D)
  x.qkv.forward(ctx, b.qkv, x.ln1y, N, train)
  h = arena.f32
  A.splitHeads(h, b.qkv, x.q, x.k, x.v, s, false)
  A.attentionFwd(k, () => arena.f32, b.oh, x.P, x.q, x.k, x.v, s)
  A.mergeHeads(h, x.om, b.oh, s, false)
  x.proj.forward(ctx, b.tmp, x.om, N, train)
  if (drop) applyDropout(ctx, p.dropout, b.tmp, x.mask1, N * D)
  for (let i = 0; i < N * D; i++) h[x.mid + i] = h[x.res + i] + h[b.tmp + i]
  L.layerNormFwd(h, x.ln2y, x.ln2xh, x.ln2rs, x.mid, x.ln2.g.off, x.ln2.b.off, N, D)
  x.fc1.forward(ctx, x.h1, x.ln2y, N, train)
  k.geluFwd(x.h1g, x.h1, N * 4 * D)
  x.fc2.forward(ctx, b.tmp, x.h1g, N, train)
  if (drop) applyDropout(ctx, p.dropout, b.tmp, x.mask2, N * D)
  for (let i = 0; i < N * D; i++) h[out + i] = h[x.mid + i] + h[b.tmp + i]
}

/**
 * Backward pass of block `x`: takes the gradient of its output in `scratch.dres`, leaves the gradient of its
 * input there, and accumulates its trainable weights' gradients.
 */
export function blockBackward(p: BlockPass, x: TransformerBlock): void {
  const { ctx, scratch: b, s } = p
  const { arena, k } = ctx
  const N = s.B * s.T
  const D = s.H * s.hd
  const h = arena.f32
  const masked = (mask: number): number => {
    if (!(p.dropout > 0)) return b.dres
    L.mulInto(h, b.dy, b.dres, mask, N * D)
    return b.dy
  }
  x.fc2.backward(ctx, b.dh, masked(x.mask2), x.h1g, N, false)
  k.geluBwd(b.dh, x.h1, b.dh, N * 4 * D)
  x.fc1.backward(ctx, b.da, b.dh, x.ln2y, N, false)
  L.layerNormBwd(h, b.dres, b.da, x.ln2xh, x.ln2rs, x.ln2.g.off, x.ln2.g.grad, x.ln2.b.grad, N, D)
  x.proj.backward(ctx, b.tmp, masked(x.mask1), x.om, N, false)
  A.mergeHeads(h, b.tmp, b.dO, s, true)
  A.attentionBwd(k, () => arena.f32, b.dq, b.dk, b.dv, b.dO, b.dP, x.P, x.q, x.k, x.v, s)
  A.splitHeads(h, b.qkv, b.dq, b.dk, b.dv, s, true)
  x.qkv.backward(ctx, b.da, b.qkv, x.ln1y, N, false)
  L.layerNormBwd(h, b.dres, b.da, x.ln1xh, x.ln1rs, x.ln1.g.off, x.ln1.g.grad, x.ln1.b.grad, N, D)
}

/** Zeroes a fraction `rate` of x[n] (scaling the rest) with a fresh mask drawn from `ctx.rng`, kept for backward. */
function applyDropout(ctx: Ctx, rate: number, x: number, mask: number, n: number): void {
  L.dropoutMask(ctx.arena.f32, mask, n, rate, ctx.rng)
  L.mulInto(ctx.arena.f32, x, x, mask, n)
}
