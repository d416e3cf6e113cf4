/**
 * The standard normal distribution: pdf, cdf Φ, log Φ, the quantile Φ⁻¹ (also from a log-probability), and
 * log H(z) = log(φ(z) + zΦ(z)), the core of log expected improvement. Everything stays accurate deep into the
 * lower tail (Φ(-38) ≈ 3e-316), which TPE's truncated Parzen kernels and GP log-EI both rely on.
 *
 * @module
 */
import { erf, erfc, erfcx, expSquare } from './erf.ts'

/** 1/√(2π). */
const INV_SQRT_2PI = 0.3989422804014327
/** log √(2π). */
const LOG_SQRT_2PI = 0.9189385332046728
/** √(π/2): Φ(z)/φ(z) = √(π/2)·erfcx(-z/√2). */
const SQRT_HALF_PI = 1.2533141373155003
const LN2 = Math.LN2

/** Computes the standard normal density φ(x). */
export function normPdf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? x : 0
  // The split exponent keeps full relative accuracy out to |x| ≈ 38, where φ underflows.
  return INV_SQRT_2PI * expSquare(x, -0.5)
}

/** Computes log φ(x). */
export function logNormPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI
}

/**
 * Computes the Mills-type ratio Φ(x)/φ(x) = √(π/2)·erfcx(-x/√2), finite for every x where Φ underflows.
 * For x → -∞ it behaves like 1/|x|.
 */
export function normCdfOverPdf(x: number): number {
  return SQRT_HALF_PI * erfcx(-x * Math.SQRT1_2)
}

/** Computes the standard normal cdf Φ(x), with full relative accuracy in the lower tail. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return x
  if (x < -0.7) {
    if (x < -40) return 0
    // φ(x)·erfcx form: erfcx is well conditioned, so rounding x/√2 costs one ulp rather than x² ulps.
    return normPdf(x) * normCdfOverPdf(x)
  }
  return 0.5 * erfc(-x * Math.SQRT1_2)
}

/** Computes log Φ(x), finite for every finite x (log Φ(-40) = -804.608...). */
export function logNormCdf(x: number): number {
  if (Number.isNaN(x)) return x
  if (x > 0) return Math.log1p(-normCdf(-x))
  if (x > -0.7) return Math.log(normCdf(x))
  if (x === Number.NEGATIVE_INFINITY) return x
  return logNormPdf(x) + Math.log(normCdfOverPdf(x))
}

// Wichura's AS241 (PPND16), Appl. Statist. 37 (1988) 477-484: about 1e-16 relative error. The published
// 20-digit coefficients are written as their nearest doubles.
const AS_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
  33430.57558358813, 2509.0809287301227,
]
const AS_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943,
  5226.495278852854,
]
const AS_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
]
const AS_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
]
const AS_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
]
const AS_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
  1.421511758316446e-7, 2.0442631033899397e-15,
]

function poly(c: readonly number[], x: number): number {
  let r = c[c.length - 1]
  for (let i = c.length - 2; i >= 0; i--) r = r * x + c[i]
  return r
}

/** AS241 for the lower tail, q <= 0.075, given log q (so subnormal q and q from a log stay exact). */
function as241Tail(logq: number): number {
  const r = Math.sqrt(-logq)
  if (r <= 5) return -poly(AS_C, r - 1.6) / poly(AS_D, r - 1.6)
  return -poly(AS_E, r - 5) / poly(AS_F, r - 5)
}

/**
 * One Halley step on Φ(x) = q for x < 0, with the residual formed from log-probabilities so it stays exact when
 * q is subnormal: (Φ(x) - q)/φ(x) = (Φ/φ)(x)·(1 - q/Φ(x)).
 */
function halley(x: number, logq: number): number {
  const u = -normCdfOverPdf(x) * Math.expm1(logq - logNormCdf(x))
  return x - u / (1 + 0.5 * x * u)
}

/** Computes the standard normal quantile Φ⁻¹(p) (ndtri); ±Infinity at p = 0 or 1, NaN outside [0, 1]. */
export function normPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * poly(AS_A, r)) / poly(AS_B, r)
  }
  // 1 - p is exact for p >= 0.5, so the upper tail mirrors the lower one without loss.
  const tail = q < 0 ? p : 1 - p
  const logTail = Math.log(tail)
  const x = halley(as241Tail(logTail), logTail)
  return q < 0 ? x : -x
}

/**
 * Computes the inverse of log Φ: the x with log Φ(x) = logp (logp <= 0). Reaches quantiles whose probability
 * underflows a double, e.g. logp = -5000 gives x ≈ -99.97.
 */
export function normPpfFromLog(logp: number): number {
  if (!(logp <= 0)) return Number.NaN
  if (logp === 0) return Number.POSITIVE_INFINITY
  if (logp === Number.NEGATIVE_INFINITY) return logp
  // Above p = 1/2 the complement 1 - p = -expm1(logp) is accurate; mirror it into the lower tail.
  if (logp > -LN2) return -normPpf(-Math.expm1(logp))
  if (logp > Math.log(0.075)) return normPpf(Math.exp(logp))
  let x: number
  if (logp > -700) {
    x = as241Tail(logp)
  } else {
    // log Φ(x) ≈ -x²/2 - log|x| - log√(2π) for very negative x; Halley's steps then converge cubically.
    const l = -2 * logp
    x = -Math.sqrt(l - Math.log(l) - 2 * LOG_SQRT_2PI)
  }
  for (let i = 0; i < 8; i++) {
    const next = halley(x, logp)
    const done = Math.abs(next - x) <= 1e-15 * Math.abs(x)
    x = next
    if (done) break
  }
  return x
}

/** Computes log(1 - exp(x)) for x <= 0 without cancellation (Mächler 2012, "Accurately computing log(1-exp(-|a|))"). */
export function log1mexp(x: number): number {
  return x > -LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x))
}

/** Computes log(exp(a) + exp(b)) without overflow or underflow. */
export function logAddExp(a: number, b: number): number {
  const hi = Math.max(a, b)
  if (hi === Number.NEGATIVE_INFINITY) return hi
  if (hi === Number.POSITIVE_INFINITY) return hi
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi))
}

/** Computes log(exp(a) - exp(b)) for a >= b; -Infinity when a === b, NaN when a < b. */
export function logDiffExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a
  if (a < b) return Number.NaN
  if (a === b) return Number.NEGATIVE_INFINITY
  return a + log1mexp(b - a)
}

/**
 * Computes log(Φ(b) - Φ(a)), the log probability that a standard normal lies in [a, b] (a <= b), accurately in
 * either tail and in the middle: the interval is mirrored into the lower tail, where Φ has full relative
 * precision, and a central interval is taken as 1 minus its two tails.
 */
export function logNormalMass(a: number, b: number): number {
  if (a > 0) return logNormalMass(-b, -a)
  if (b <= 0) return logDiffExp(logNormCdf(b), logNormCdf(a))
  // a <= 0 < b. A wide interval is 1 minus two small tails (exact even when the mass is 1 - 1e-20); a narrow
  // one is a sum of two same-signed erf values, which keeps its relative accuracy down to widths of 1e-300.
  const tails = normCdf(a) + normCdf(-b)
  if (tails < 0.5) return Math.log1p(-tails)
  return Math.log(0.5 * (erf(b * Math.SQRT1_2) - erf(a * Math.SQRT1_2)))
}

/**
 * Computes log H(z) = log(φ(z) + zΦ(z)), the log of expected improvement for unit variance
 * (Ament et al. 2023, "Unexpected improvements to expected improvement", eq. 9). For z <= -1 it is
 * log φ(z) + log(1 - |z|·Φ(z)/φ(z)); the second factor tends to 1/z², so below z = -5 it comes from a
 * continued fraction instead of a cancelling difference. Finite for every finite z.
 */
export function logH(z: number): number {
  if (Number.isNaN(z)) return z
  if (z > -1) return Math.log(normPdf(z) + z * normCdf(z))
  if (z === Number.NEGATIVE_INFINITY) return z
  if (z > -5) return logNormPdf(z) + Math.log1p(z * normCdfOverPdf(z))
  // With t = -z, Laplace's fraction R(t) = 1/(t + 1/(t + 2/(t + 3/(t + ...)))) gives R = 1/(t + c) and
  // 1 - tR = c/(t + c) with c = 1/(t + 2/(t + ...)): no subtraction. 30 terms reach 1 ulp for t >= 5.
  const t = -z
  let c = 0
  for (let k = 30; k >= 2; k--) c = k / (t + c)
  c = 1 / (t + c)
  return logNormPdf(z) + Math.log(c) - Math.log(t + c)
}
