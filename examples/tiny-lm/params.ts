import type { Arena } from './arena.ts'
import type { AdamwArgs, Kernels } from './kernels-js.ts'

/** One named parameter tensor: `off` is its data offset, `grad` its gradient offset (-1 when frozen). */
export interface Param {
  readonly name: string
  readonly size: number
  readonly decay: boolean
  off: number
  grad: number
}

/**
 * A set of parameters laid out contiguously (weight-decayed tensors first), with parallel gradient and Adam
 * moment blocks when trainable, so one AdamW call per decay class updates everything and a checkpoint is four
 * flat copies. Register with `add`, then `allocate` once.
 */
export class ParamGroup {
  readonly params: Param[] = []
  /** Offsets of the data, gradient, first- and second-moment blocks (-1 when not allocated). */
  data = -1
  grad = -1
  m = -1
  v = -1
  /** Number of floats in the block, and how many of them (at the front) get weight decay. */
  size = 0
  decaySize = 0

  constructor(readonly trainable: boolean) {}

  /** Registers a tensor; its offsets are filled in by `allocate`. */
  add(name: string, size: number, decay: boolean): Param {
    const p: Param = { name, size, decay, off: -1, grad: -1 }
    this.params.push(p)
    return p
  }

  /** Lays the tensors out in the arena (4-float aligned each). */
  allocate(arena: Arena): void {
    const ordered = [...this.params.filter((p) => p.decay), ...this.params.filter((p) => !p.decay)]
    let pos = 0
    for (const p of ordered) {
      p.off = pos
      pos += (p.size + 3) & ~3
      if (p.decay) this.decaySize = pos
    }
    this.size = pos
    this.data = arena.alloc(pos)
    if (this.trainable) {
      this.grad = arena.alloc(pos)
      this.m = arena.alloc(pos)
      this.v = arena.alloc(pos)
    }
    for (const p of ordered) {
      p.grad = this.trainable ? this.grad + p.off : -1
      p.off += this.data
    }
  }

  /** Finds a parameter by name; throws when missing. */
  get(name: string): Param {
    const p = this.params.find((q) => q.name === name)
    if (!p) throw new Error(`No parameter "${name}" in this group.`)
    return p
  }

  /** AdamW over the whole group: decayed block with `weightDecay`, the rest (biases, norms) without. */
  step(k: Kernels, h: Omit<AdamwArgs, 'weightDecay'>, weightDecay: number): void {
    if (!this.trainable) return
    k.adamw(this.data, this.grad, this.m, this.v, this.decaySize, { ...h, weightDecay })
    const rest = this.size - this.decaySize
    const o = this.decaySize
    if (rest > 0) k.adamw(this.data + o, this.grad + o, this.m + o, this.v + o, rest, { ...h, weightDecay: 0 })
  }
}
