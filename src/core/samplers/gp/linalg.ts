/**
 * Dense symmetric positive-definite linear algebra on row-major Float64Array matrices, sized for GP fits with up to
 * a few hundred points: Cholesky, triangular solves and the inverse from a factor. Hand-written loops over typed
 * arrays (inner loops contiguous) are several times faster than a general matrix library at this size.
 *
 * @module
 */

/**
 * Overwrites the lower triangle of the n×n matrix `a` with its Cholesky factor L (a = L·Lᵀ); the strict upper
 * triangle is zeroed. Returns false (leaving `a` partly overwritten) when `a` is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n
    for (let j = 0; j <= i; j++) {
      const rj = j * n
      let s = a[ri + j]
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k]
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false
        a[ri + i] = Math.sqrt(s)
      } else a[ri + j] = s / a[rj + j]
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0
  }
  return true
}

/** Solves L·x = b for lower-triangular L (row-major n×n); writes x into `out` (which may be `b`). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n
    let s = b[i]
    for (let k = 0; k < i; k++) s -= l[ri + k] * out[k]
    out[i] = s / l[ri + i]
  }
  return out
}

/** Solves Lᵀ·x = b for lower-triangular L (row-major n×n); writes x into `out` (which may be `b`). */
export function solveUpperT(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  if (out !== b) for (let i = 0; i < n; i++) out[i] = b[i]
  // Column-oriented back substitution: row i of L is column i of Lᵀ, so the inner loop stays contiguous.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n
    const xi = out[i] / l[ri + i]
    out[i] = xi
    for (let k = 0; k < i; k++) out[k] -= l[ri + k] * xi
  }
  return out
}

/** Solves (L·Lᵀ)·x = b given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n)
  solveLower(l, n, b, x)
  return solveUpperT(l, n, x, x)
}

/**
 * The inverse of A = L·Lᵀ from its Cholesky factor, as a full symmetric row-major matrix. Costs about n³/3
 * multiply-adds: L⁻¹ row by row, then A⁻¹ = L⁻ᵀ·L⁻¹ accumulated from the rows of L⁻¹.
 */
export function choleskyInverse(l: Float64Array, n: number, scratch?: Float64Array): Float64Array {
  const li = scratch && scratch.length >= n * n ? scratch.fill(0, 0, n * n) : new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const ri = i * n
    // row_i(L⁻¹) = (e_i − Σ_{k<i} L[i][k]·row_k(L⁻¹)) / L[i][i]; row_k has nonzeros only in columns 0..k.
    for (let k = 0; k < i; k++) {
      const c = l[ri + k]
      if (c === 0) continue
      const rk = k * n
      for (let j = 0; j <= k; j++) li[ri + j] -= c * li[rk + j]
    }
    li[ri + i] += 1
    const inv = 1 / l[ri + i]
    for (let j = 0; j <= i; j++) li[ri + j] *= inv
  }
  const out = new Float64Array(n * n)
  for (let k = 0; k < n; k++) {
    const rk = k * n
    for (let a = 0; a <= k; a++) {
      const v = li[rk + a]
      if (v === 0) continue
      const ra = a * n
      for (let b = 0; b <= a; b++) out[ra + b] += v * li[rk + b]
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) out[b * n + a] = out[a * n + b]
  return out
}
