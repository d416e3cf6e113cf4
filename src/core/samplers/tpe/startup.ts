import type { Distribution, ParamValue } from '../../distributions/distribution.ts'
import { samplePrior } from '../../distributions/sample-prior.ts'
import { createRng, deriveSeed, type Rng } from '../../rng.ts'
import { decodeValue, toDimension } from './dimension.ts'

/**
 * Startup values stratified like a Latin hypercube over the first `n` trials: for each parameter, trial number i
 * falls into stratum π(i) of n equal slices of the prior (π a permutation seeded by the study seed and the
 * parameter's name), and a uniform draw inside it. Needs no history, so it is define-by-run friendly and parallel
 * workers asking different trial numbers still cover the range together. Later trial numbers draw from the prior.
 */
export function stratifiedStartupValue(
  name: string,
  d: Distribution,
  trialNumber: number,
  n: number,
  seed: number,
  rng: Rng,
): ParamValue {
  if (trialNumber < 0 || trialNumber >= n || n < 2) return samplePrior(d, rng)
  const stratum = permutation(n, deriveSeed(seed, hashName(name)))[trialNumber]
  const u = (stratum + rng.random()) / n
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))]
  const dim = toDimension(name, d)
  if (dim.kind !== 'numeric') return samplePrior(d, rng)
  // The half-step margins give every grid point an equal share, as the prior does.
  const lo = dim.low - dim.step / 2
  const hi = dim.high + dim.step / 2
  return decodeValue(dim, lo + u * (hi - lo))
}

function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed)
  const p = new Int32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i)
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}

/** FNV-1a of a string, so a parameter's strata depend on its name and not on the order of suggestions. */
function hashName(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h & 0x7fffffff
}
