/**
 * The Sobol low-discrepancy sequence in Gray-code order (Antonov–Saleev), with Joe–Kuo direction numbers and
 * optional scrambling as SciPy's `qmc.Sobol` does it: a random linear matrix scramble (Matoušek 1998) followed by
 * a random digital shift. Used by the QMC sampler and to seed acquisition-function optimizers.
 *
 * @module
 */
import { JOE_KUO_6_21201 } from './sobol-directions.ts'

/** Bits per coordinate; points are integers in [0, 2^32) scaled by 2^-32, so at most 2^32 points exist. */
const BITS = 32
const SCALE = 2 ** -BITS

/** Options for {@link SobolSequence}. */
export interface SobolOptions {
  /**
   * Whether to scramble (linear matrix scramble + digital shift). Defaults to true when `random` is given, false
   * otherwise. Scrambling needs `random`, since core code never calls Math.random().
   */
  scramble?: boolean
  /** Uniform source in [0, 1) that seeds the scramble; each call supplies 32 random bits. */
  random?: () => number
}

/** The direction integers v_1..v_32 (MSB-aligned) of every supported dimension, built once from the table. */
const DIRECTIONS: readonly Uint32Array[] = buildDirections()

/** The largest dimension the embedded direction-number table supports. */
export const SOBOL_MAX_DIMENSION = DIRECTIONS.length

function buildDirections(): Uint32Array[] {
  // Dimension 1 is van der Corput: every m_i = 1.
  const all = [Uint32Array.from({ length: BITS }, (_, j) => 2 ** (BITS - 1 - j))]
  for (const row of JOE_KUO_6_21201.split('|')) {
    const [s, a, ...m] = row.split(' ').map(Number)
    const v = new Uint32Array(BITS)
    for (let j = 0; j < BITS; j++) {
      if (j < s) {
        v[j] = m[j] * 2 ** (BITS - 1 - j)
        continue
      }
      // Bratley–Fox recurrence from the primitive polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1.
      let x = v[j - s] ^ (v[j - s] >>> s)
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k]
      v[j] = x
    }
    all.push(v)
  }
  return all
}

/** Number of set bits in a 32-bit integer. */
function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** 32 random bits from a [0, 1) source. */
function randomWord(random: () => number): number {
  return Math.floor(random() * 2 ** 32) >>> 0
}

/**
 * Applies a random lower-triangular binary matrix L with unit diagonal to every direction integer (bit 31 is the
 * first binary digit). Output digit k depends only on input digits 1..k, and L is invertible, so every elementary
 * interval keeps exactly its share of points: the scramble keeps the (t, m, s)-net property.
 */
function scrambleDirections(v: Uint32Array, random: () => number): Uint32Array {
  const rows = new Uint32Array(BITS)
  for (let k = 0; k < BITS; k++) {
    // Random bits at the k more significant digit positions, and the diagonal bit.
    const above = k === 0 ? 0 : (randomWord(random) & (0xffffffff << (BITS - k))) >>> 0
    rows[k] = (above | (2 ** (BITS - 1 - k))) >>> 0
  }
  const out = new Uint32Array(BITS)
  for (let j = 0; j < BITS; j++) {
    let x = 0
    for (let k = 0; k < BITS; k++) if (popcount(rows[k] & v[j]) & 1) x |= 2 ** (BITS - 1 - k)
    out[j] = x >>> 0
  }
  return out
}

/**
 * Generates Sobol points in [0, 1)^dim in Gray-code order, as SciPy's `qmc.Sobol` does: unscrambled, the first
 * points of a 2-D sequence are (0, 0), (0.5, 0.5), (0.75, 0.25), (0.25, 0.75). Take points in powers of two to keep
 * the balance properties. Scrambled sequences are deterministic for a given random source.
 *
 * @example
 * const sobol = new SobolSequence(3, { random: rng.random.bind(rng) })
 * const first = sobol.next()  // number[] of length 3
 */
export class SobolSequence {
  /** The number of coordinates of each point. */
  readonly dim: number
  readonly #directions: Uint32Array[]
  readonly #shift: Uint32Array
  readonly #state: Uint32Array
  #index = 0

  /**
   * @throws RangeError when dim is not an integer in [1, SOBOL_MAX_DIMENSION], or scrambling has no random source.
   */
  constructor(dim: number, options: SobolOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`Sobol dimension must be an integer in [1, ${SOBOL_MAX_DIMENSION}], but got ${dim}`)
    }
    const scramble = options.scramble ?? options.random !== undefined
    const random = options.random
    if (scramble && random === undefined) throw new RangeError('a scrambled Sobol sequence needs a random source')
    this.dim = dim
    this.#directions = []
    this.#shift = new Uint32Array(dim)
    for (let d = 0; d < dim; d++) {
      this.#directions.push(scramble && random ? scrambleDirections(DIRECTIONS[d], random) : DIRECTIONS[d])
    }
    // Drawn after all matrices, as SciPy orders it; the shift is what moves the first point off the origin.
    if (scramble && random) for (let d = 0; d < dim; d++) this.#shift[d] = randomWord(random)
    this.#state = Uint32Array.from(this.#shift)
  }

  /** The index of the point the next call to {@link next} returns. */
  get index(): number {
    return this.#index
  }

  /** Returns the next point and advances by one. */
  next(): number[] {
    const i = this.#index
    if (i >= 2 ** BITS) throw new RangeError(`a Sobol sequence has at most 2^${BITS} points`)
    const point = Array.from(this.#state, (x) => x * SCALE)
    // Gray code: point i+1 differs from point i by the direction of the lowest zero bit of i.
    const c = lowestZeroBit(i)
    if (c < BITS) for (let d = 0; d < this.dim; d++) this.#state[d] ^= this.#directions[d][c]
    this.#index = i + 1
    return point
  }

  /** Returns the next n points. */
  take(n: number): number[][] {
    return Array.from({ length: n }, () => this.next())
  }

  /** Advances past n points without producing them; returns this for chaining. */
  skip(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`skip needs a non-negative integer, but got ${n}`)
    this.#index += n
    this.#state.set(this.#integersAt(this.#index))
    return this
  }

  /** Returns the point at a given index (0-based, Gray-code order) without moving the sequence. */
  at(index: number): number[] {
    return Array.from(this.#integersAt(index), (x) => x * SCALE)
  }

  #integersAt(index: number): Uint32Array {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** BITS) {
      throw new RangeError(`Sobol index must be an integer in [0, 2^${BITS}), but got ${index}`)
    }
    const out = Uint32Array.from(this.#shift)
    // Point i is the XOR of the directions selected by the bits of gray(i) = i ^ (i >> 1).
    let gray = (index ^ (index >>> 1)) >>> 0
    for (let j = 0; gray !== 0; j++, gray >>>= 1) {
      if (gray & 1) for (let d = 0; d < this.dim; d++) out[d] ^= this.#directions[d][j]
    }
    return out
  }
}

/** Position of the lowest zero bit of a non-negative integer below 2^32 (32 for 2^32 - 1). */
function lowestZeroBit(i: number): number {
  let c = 0
  let x = i
  while (x % 2 === 1) {
    x = (x - 1) / 2
    c++
  }
  return c
}
