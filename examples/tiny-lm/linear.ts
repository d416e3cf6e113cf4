/**
 * A linear layer y = x·W + b with an optional LoRA adapter y += (α/r)·(drop(x)·A)·B, where A [in,r] and B [r,out]
 * (B starts at zero, so the adapted model starts equal to the base). Frozen weights (no gradient offset) skip
 * their weight-gradient matmuls, which is what makes LoRA steps cheaper than full fine-tuning.
 */
import type { Arena } from './arena.ts'
import type { Kernels } from './kernels-js.ts'
import { addBias, colSumAcc, dropoutMask, mulInto } from './layers.ts'
import type { Param, ParamGroup } from './params.ts'
import type { Rng } from './rng.ts'

/** LoRA hyperparameters: rank, scaling numerator α (scale = α/r) and dropout on the adapter input. */
export interface LoraSpec {
  r: number
  alpha: number
  dropout: number
}

/** Everything a layer needs at run time. */
export interface Ctx {
  arena: Arena
  k: Kernels
  rng: Rng
}

/** A dense layer with its own activation buffers for up to `maxN` rows. */
export class Linear {
  readonly W: Param
  readonly b: Param
  readonly A?: Param
  readonly B?: Param
  private scale = 0
  private xd = -1
  private u = -1
  private mask = -1
  private tmp = -1

  constructor(
    base: ParamGroup,
    adapters: ParamGroup | undefined,
    name: string,
    readonly inDim: number,
    readonly outDim: number,
    private readonly lora?: LoraSpec,
  ) {
    this.W = base.add(`${name}.W`, inDim * outDim, true)
    this.b = base.add(`${name}.b`, outDim, false)
    if (lora && adapters) {
      this.A = adapters.add(`${name}.lora_A`, inDim * lora.r, true)
      this.B = adapters.add(`${name}.lora_B`, lora.r * outDim, true)
      this.scale = lora.alpha / lora.r
    }
  }

  /** Reserves activation buffers (call after the parameter groups are allocated). */
  allocActs(arena: Arena, maxN: number): void {
    if (!this.lora) return
    this.u = arena.alloc(maxN * this.lora.r)
    this.tmp = arena.alloc(maxN * Math.max(this.inDim, this.lora.r))
    if (this.lora.dropout > 0) {
      this.xd = arena.alloc(maxN * this.inDim)
      this.mask = arena.alloc(maxN * this.inDim)
    }
  }

  /** y[N,out] = x[N,in]·W + b (+ LoRA). Dropout on the adapter input only when `train`. */
  forward(c: Ctx, y: number, x: number, N: number, train: boolean): void {
    const { k, arena } = c
    k.matmul(y, x, this.W.off, N, this.inDim, this.outDim, false)
    addBias(arena.f32, y, this.b.off, N, this.outDim)
    if (!this.lora || !this.A || !this.B) return
    const r = this.lora.r
    let xin = x
    if (this.xd >= 0 && train) {
      dropoutMask(arena.f32, this.mask, N * this.inDim, this.lora.dropout, c.rng)
      mulInto(arena.f32, this.xd, x, this.mask, N * this.inDim)
      xin = this.xd
    }
    k.matmul(this.u, xin, this.A.off, N, this.inDim, r, false)
    const h = arena.f32
    for (let i = 0; i < N * r; i++) h[this.u + i] *= this.scale
    k.matmul(y, this.u, this.B.off, N, r, this.outDim, true)
  }

  /** Given dy, accumulates parameter gradients and writes (or adds, when `accDx`) dx = ∂L/∂x; x is the forward input. */
  backward(c: Ctx, dx: number, dy: number, x: number, N: number, accDx: boolean): void {
    const { k, arena } = c
    const { inDim, outDim } = this
    if (this.W.grad >= 0) {
      k.matmulAtB(this.W.grad, x, dy, inDim, N, outDim, true)
      colSumAcc(arena.f32, this.b.grad, dy, N, outDim)
    }
    if (dx >= 0) k.matmulABt(dx, dy, this.W.off, N, outDim, inDim, accDx)
    if (!this.lora || !this.A || !this.B) return
    const r = this.lora.r
    const du = this.tmp
    if (this.B.grad >= 0) k.matmulAtB(this.B.grad, this.u, dy, r, N, outDim, true)
    k.matmulABt(du, dy, this.B.off, N, outDim, r, false)
    const h = arena.f32
    for (let i = 0; i < N * r; i++) h[du + i] *= this.scale
    const xin = this.xd >= 0 ? this.xd : x
    if (this.A.grad >= 0) k.matmulAtB(this.A.grad, xin, du, inDim, N, r, true)
    if (dx < 0) return
    if (this.xd < 0) {
      k.matmulABt(dx, du, this.A.off, N, r, inDim, true)
      return
    }
    // dropout: dx += (du·Aᵀ) ⊙ mask; du is consumed, so its buffer cannot hold the product: use a second pass.
    const dxd = this.xd // the dropped input is no longer needed once dA is computed
    k.matmulABt(dxd, du, this.A.off, N, r, inDim, false)
    const g = arena.f32
    for (let i = 0; i < N * inDim; i++) g[dx + i] += g[dxd + i] * g[this.mask + i]
  }
}
