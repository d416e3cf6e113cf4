import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/**
 * A seeded random source. Samplers and schedulers receive one and never call Math.random(),
 * so a study replays exactly for a fixed seed.
 */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  random(): number
  /** Uniform integer in [low, high] (both included). */
  int(low: number, high: number): number
  /** Standard normal variate. */
  normal(): number
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number
  /** A fresh 31-bit seed, to derive child generators. */
  seed(): number
  /** The generator state, to persist and restore it (e.g. in trial system attributes). */
  state(): readonly number[]
}

class XoroshiroRng implements Rng {
  private spareNormal: number | undefined
  constructor(private readonly gen: RandomGenerator) {}
  random(): number {
    return uniformFloat64(this.gen)
  }
  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1))
  }
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random()
  }
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal
      this.spareNormal = undefined
      return z
    }
    // Box–Muller; 1 - random() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.random()))
    const theta = 2 * Math.PI * this.random()
    this.spareNormal = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
  seed(): number {
    return Math.floor(this.random() * 0x7fffffff)
  }
  state(): readonly number[] {
    return this.gen.getState()
  }
}

/** Creates a generator from a seed (any finite number; non-integers are hashed). */
export function createRng(seed: number): Rng {
  return new XoroshiroRng(xoroshiro128plus(hash32(seed)))
}

/** Restores a generator saved with `rng.state()`. */
export function restoreRng(state: readonly number[]): Rng {
  return new XoroshiroRng(xoroshiro128plusFromState(state))
}

/**
 * Derives a seed from several integers (e.g. study seed and trial number). Parallel workers that sample
 * trial #7 of a study with seed 3 get the same stream, whatever order the trials were asked in.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    h = Math.imul(h ^ hash32(p), 0x01000193) >>> 0
    h ^= h >>> 15
    h = Math.imul(h, 0x2c1b3c6d) >>> 0
    h ^= h >>> 12
  }
  return h & 0x7fffffff
}

/** A 32-bit mix of a number (murmur3 finaliser over its integer part and fraction). */
function hash32(x: number): number {
  let h = (Math.trunc(x) ^ Math.trunc((x % 1) * 0x7fffffff)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h | 0
}
