/**
 * sfc32: a small, fast, seedable PRNG whose whole state is four uint32s, so a checkpoint can store it and a
 * resumed run draws exactly the numbers an uninterrupted run would have drawn.
 */
export class Rng {
  private s: Uint32Array

  constructor(seed: number) {
    this.s = new Uint32Array([0x9e3779b9, seed >>> 0, (seed / 2 ** 32) >>> 0, 0x6a09e667])
    for (let i = 0; i < 16; i++) this.nextU32() // decorrelate nearby seeds
  }

  /** A uniformly random uint32. */
  nextU32(): number {
    const s = this.s
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0
    s[3] = (s[3] + 1) >>> 0
    s[0] = s[1] ^ (s[1] >>> 9)
    s[1] = (s[2] + (s[2] << 3)) >>> 0
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0
    s[2] = (s[2] + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box-Muller; one value per call keeps the state simple). */
  normal(): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** The state, for checkpoints. */
  getState(): number[] {
    return Array.from(this.s)
  }

  /** Restores a state taken by `getState`. */
  setState(state: readonly number[]): void {
    this.s = new Uint32Array(state)
  }
}
