/**
 * Box-constrained L-BFGS ("L-BFGS-B lite"): a projected quasi-Newton method for smooth objectives with simple
 * bounds, used to fit GP hyperparameters and to optimize acquisition functions. Unlike full L-BFGS-B (Byrd, Lu,
 * Nocedal, Zhu 1995) it has no generalized Cauchy point or subspace minimization: variables held at a bound by
 * their gradient are frozen for the step, the two-loop recursion acts on the rest, and a backtracking Armijo
 * search runs along the projected path. That is enough for the low-dimensional problems samplers pose.
 *
 * @module
 */

/** Options for {@link minimizeLbfgsB}. */
export interface LbfgsOptions {
  /** Lower bounds, one per variable; -Infinity (the default) for none. */
  lower?: ArrayLike<number>
  /** Upper bounds, one per variable; Infinity (the default) for none. */
  upper?: ArrayLike<number>
  /** Maximum number of iterations (default 1000). */
  maxIter?: number
  /** Stop when the largest projected-gradient component is at most this (default 1e-5, as SciPy's pgtol). */
  gtol?: number
  /** Stop when (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol (default 2.2e-9, SciPy's factr = 1e7). */
  ftol?: number
  /** Number of correction pairs kept (default 10). */
  m?: number
  /** Maximum number of objective evaluations (default 20 × maxIter). */
  maxEvaluations?: number
}

/** The outcome of {@link minimizeLbfgsB}. */
export interface LbfgsResult {
  /** The best point found (always inside the bounds). */
  x: Float64Array
  /** The objective at x. */
  f: number
  /** Iterations taken. */
  iterations: number
  /** Objective evaluations, including rejected line-search trials. */
  evaluations: number
  /** True when a gtol or ftol test stopped the run. */
  converged: boolean
  /** Why the run stopped, in words. */
  message: string
}

/** An objective: returns f(x) and writes ∇f(x) into grad (which arrives zero-filled). May return NaN or ±Infinity. */
export type Objective = (x: Float64Array, grad: Float64Array) => number

const ARMIJO_C1 = 1e-4
const MAX_LINE_SEARCH = 40

/**
 * Minimizes f over the box lower <= x <= upper with projected L-BFGS, starting from x0 (clipped into the box).
 * Trial points where f is NaN or ±Infinity are treated as failed steps, and the step shrinks.
 *
 * @throws RangeError when bounds have the wrong length or lower > upper somewhere.
 */
export function minimizeLbfgsB(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length
  const lo = boundArray(options.lower, n, Number.NEGATIVE_INFINITY, 'lower')
  const hi = boundArray(options.upper, n, Number.POSITIVE_INFINITY, 'upper')
  for (let i = 0; i < n; i++) {
    if (!(lo[i] <= hi[i])) throw new RangeError(`lower <= upper must hold, but got ${lo[i]} > ${hi[i]} at index ${i}`)
  }
  const maxIter = options.maxIter ?? 1000
  const gtol = options.gtol ?? 1e-5
  const ftol = options.ftol ?? 2.220446049250313e-9
  const m = Math.max(1, options.m ?? 10)
  const maxEvaluations = options.maxEvaluations ?? 20 * maxIter

  let evaluations = 0
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    g.fill(0)
    evaluations++
    const v = f(x, g)
    // A gradient with NaN in it is as unusable as a NaN value.
    for (let i = 0; i < n; i++) if (!Number.isFinite(g[i])) return Number.NaN
    return v
  }

  let x = Float64Array.from(x0, (v, i) => clip(v, lo[i], hi[i]))
  let g = new Float64Array(n)
  let fx = evaluate(x, g)
  const done = (iterations: number, converged: boolean, message: string): LbfgsResult => ({
    x,
    f: fx,
    iterations,
    evaluations,
    converged,
    message,
  })
  if (!Number.isFinite(fx)) return done(0, false, 'objective is not finite at the starting point')

  const memory = new Memory(n, m)
  const d = new Float64Array(n)
  let xt = new Float64Array(n)
  let gt = new Float64Array(n)
  for (let iter = 0; iter < maxIter; iter++) {
    if (projectedGradientNorm(x, g, lo, hi) <= gtol) return done(iter, true, 'projected gradient below gtol')
    let accepted = false
    // Try the quasi-Newton direction; if its line search fails, forget the curvature pairs and try steepest descent.
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      if (attempt === 1 && memory.size === 0) break
      if (attempt === 1) memory.clear()
      let gd = searchDirection(x, g, lo, hi, memory, d)
      if (!(gd < 0)) {
        memory.clear()
        gd = searchDirection(x, g, lo, hi, memory, d)
        if (!(gd < 0)) return done(iter, true, 'no descent direction left inside the bounds')
      }
      // Without curvature information the direction has the gradient's scale; start with a unit-length step.
      let alpha = memory.size === 0 ? Math.min(1, 1 / norm2(d)) : 1
      for (let ls = 0; ls < MAX_LINE_SEARCH && evaluations < maxEvaluations; ls++) {
        let slope = 0
        let moved = false
        for (let i = 0; i < n; i++) {
          xt[i] = clip(x[i] + alpha * d[i], lo[i], hi[i])
          slope += g[i] * (xt[i] - x[i])
          if (xt[i] !== x[i]) moved = true
        }
        if (!moved) break
        const ft = evaluate(xt, gt)
        if (Number.isFinite(ft) && ft <= fx + ARMIJO_C1 * slope) {
          accepted = true
          const reduction = (fx - ft) / Math.max(Math.abs(fx), Math.abs(ft), 1)
          memory.push(xt, x, gt, g)
          ;[x, xt] = [xt, x]
          ;[g, gt] = [gt, g]
          fx = ft
          if (reduction <= ftol) return done(iter + 1, true, 'relative reduction of f below ftol')
          break
        }
        // Quadratic interpolation of the step where f is defined; a plain cut where it is not.
        const quad = Number.isFinite(ft) ? (-slope * alpha) / (2 * (ft - fx - slope)) : 0
        alpha = Number.isFinite(quad) ? clip(quad, 0.1 * alpha, 0.5 * alpha) : 0.25 * alpha
      }
    }
    if (!accepted) {
      const message = evaluations >= maxEvaluations ? 'evaluation limit reached' : 'line search found no decrease'
      return done(iter, false, message)
    }
  }
  return done(maxIter, false, 'iteration limit reached')
}

/** Limited-memory curvature pairs (s, y, 1/sᵀy), oldest first. */
class Memory {
  readonly s: Float64Array[] = []
  readonly y: Float64Array[] = []
  readonly rho: number[] = []
  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {}
  get size(): number {
    return this.s.length
  }
  clear(): void {
    this.s.length = 0
    this.y.length = 0
    this.rho.length = 0
  }
  /** Stores the pair from x → xNew unless its curvature sᵀy is not safely positive (keeps H positive definite). */
  push(xNew: Float64Array, x: Float64Array, gNew: Float64Array, g: Float64Array): void {
    const s = new Float64Array(this.n)
    const y = new Float64Array(this.n)
    for (let i = 0; i < this.n; i++) {
      s[i] = xNew[i] - x[i]
      y[i] = gNew[i] - g[i]
    }
    const sy = dot(s, y)
    if (!(sy > 1e-10 * dot(y, y))) return
    if (this.s.length === this.m) {
      this.s.shift()
      this.y.shift()
      this.rho.shift()
    }
    this.s.push(s)
    this.y.push(y)
    this.rho.push(1 / sy)
  }
}

/**
 * Writes into d the L-BFGS direction -H·g over the free variables (those not held at a bound by their gradient),
 * with zeros for the rest and for free variables that sit on a bound the direction points out of. Returns gᵀd.
 */
function searchDirection(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  memory: Memory,
  d: Float64Array,
): number {
  const n = x.length
  const free = new Uint8Array(n)
  for (let i = 0; i < n; i++) free[i] = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) ? 0 : 1
  const k = memory.size
  const alpha = new Float64Array(k)
  for (let i = 0; i < n; i++) d[i] = free[i] ? g[i] : 0
  // Two-loop recursion (Nocedal & Wright, Algorithm 7.4), with H0 = (sᵀy / yᵀy)·I from the newest pair.
  for (let j = k - 1; j >= 0; j--) {
    alpha[j] = memory.rho[j] * dot(memory.s[j], d)
    axpy(-alpha[j], memory.y[j], d)
  }
  if (k > 0) {
    const gamma = 1 / (memory.rho[k - 1] * dot(memory.y[k - 1], memory.y[k - 1]))
    for (let i = 0; i < n; i++) d[i] *= gamma
  }
  for (let j = 0; j < k; j++) axpy(alpha[j] - memory.rho[j] * dot(memory.y[j], d), memory.s[j], d)
  let gd = 0
  for (let i = 0; i < n; i++) {
    d[i] = -d[i]
    // A step out through a bound the variable already sits on would be clipped to nothing at every length.
    if (!free[i] || (x[i] <= lo[i] && d[i] < 0) || (x[i] >= hi[i] && d[i] > 0)) d[i] = 0
    gd += g[i] * d[i]
  }
  return gd
}

/** The largest |P(x - g) - x| component: zero exactly at a KKT point of the box-constrained problem. */
function projectedGradientNorm(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let max = 0
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(clip(x[i] - g[i], lo[i], hi[i]) - x[i]))
  return max
}

function boundArray(b: ArrayLike<number> | undefined, n: number, fill: number, name: string): Float64Array {
  if (b === undefined) return new Float64Array(n).fill(fill)
  if (b.length !== n) throw new RangeError(`${name} bounds need ${n} entries, but got ${b.length}`)
  return Float64Array.from(b)
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi)
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a))
}

/** y += a·x. */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i]
}
