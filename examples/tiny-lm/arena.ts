/**
 * One `WebAssembly.Memory` holds every tensor of a model: parameters, gradients, Adam moments, activations.
 * Tensors are plain element offsets into `arena.f32`, so the wasm kernels (which take byte pointers) and the
 * JS code work on the same numbers without copies. The first 64 KiB stay free for the wasm module itself.
 */
export class Arena {
  /** The shared memory; pass it to `createWasmKernels`. */
  readonly memory: WebAssembly.Memory
  /** A view over the whole memory; refreshed whenever `alloc` grows it, so never cache it across allocations. */
  f32: Float32Array
  private top = 65536 / 4

  constructor(initialBytes = 4 << 20) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(initialBytes / 65536), maximum: 32768 })
    this.f32 = new Float32Array(this.memory.buffer)
  }

  /** Reserves `n` zeroed floats (16-byte aligned, for SIMD loads) and returns their element offset. */
  alloc(n: number): number {
    const off = this.top
    this.top += (n + 3) & ~3
    const needBytes = this.top * 4
    if (needBytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needBytes - this.memory.buffer.byteLength) / 65536))
      this.f32 = new Float32Array(this.memory.buffer)
    }
    return off
  }

  /** Bytes in use (for reports). */
  get usedBytes(): number {
    return this.top * 4
  }
}
