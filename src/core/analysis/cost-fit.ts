/**
 * What a study's wall or GPU time would have been at full fidelity, fitted across its trials (see `computeCost`).
 *
 * @module
 */
import type { Json } from '../json.ts'
import type { Counterfactual } from './cost.ts'

/** A cost measured on the trials that recorded it, and what running them all to full fidelity would have cost. */
export interface CostMeasure {
  readonly used: number
  /**
   * What running every trial once to full fidelity would have cost: per trial, the fitted cost of one attempt
   * (`overheadPerAttempt`) plus `ratePerUnit` × the full resource; a crash counts what it cost (it would have
   * crashed at full fidelity too), a retry or PBT child nothing of its own (its configuration is counted once).
   */
  readonly fullEstimate: number
  /** How many trials recorded this cost. */
  readonly trials: number
  /** The fixed cost per attempt (process start, model load, evaluation) fitted across trials; 0 when none shows. */
  readonly overheadPerAttempt: number
  /** The cost per unit of resource (per step, epoch or full-data training) fitted across trials. */
  readonly ratePerUnit: number
}

/** One trial as a time estimate sees it. */
interface CostPoint {
  /** The resource it trained (over all its attempts). */
  readonly resource: number
  readonly attempts: number
  readonly role: Counterfactual
  /** Whether it is a sample for the fit (not a crash). */
  readonly fits: boolean
}

/** Collects one time cost (wall or GPU seconds) over the trials and estimates it at full fidelity (`CostMeasure`). */
export function timeMeasure() {
  const points: (CostPoint & { x: number })[] = []
  let used = 0
  return {
    get trials() {
      return points.length
    },
    add(x: Json | undefined, p: CostPoint) {
      if (typeof x !== 'number' || !Number.isFinite(x)) return
      points.push({ ...p, x })
      used += x
    },
    result(full: number): CostMeasure {
      // Only crashes trained something: they are the only samples there are.
      const samples = points.filter((p) => p.fits && p.resource > 0)
      const { overhead, rate } = fitCost(samples.length > 0 ? samples : points)
      let fullEstimate = 0
      for (const p of points) {
        // Nothing to fit at all (no trial trained anything): a full training is taken to cost what this one did.
        const one = overhead > 0 || rate > 0 ? overhead + rate * full : p.x
        fullEstimate += p.role === 'full' ? one : p.role === 'own' ? p.x : 0
      }
      return { used, fullEstimate, trials: points.length, overheadPerAttempt: overhead, ratePerUnit: rate }
    },
  }
}

/**
 * cost ≈ overhead × attempts + rate × resource, fitted by least squares over the trials that trained something,
 * both never negative. When the resources barely vary (overhead and rate cannot be told apart) the cost is taken as
 * proportional (overhead 0); when it does not grow with the resource at all, it is all overhead (rate 0).
 */
export function fitCost(points: readonly { x: number; resource: number; attempts: number }[]): {
  overhead: number
  rate: number
} {
  let kk = 0
  let kr = 0
  let rr = 0
  let kx = 0
  let rx = 0
  for (const p of points) {
    if (!(p.resource > 0)) continue
    kk += p.attempts * p.attempts
    kr += p.attempts * p.resource
    rr += p.resource * p.resource
    kx += p.attempts * p.x
    rx += p.resource * p.x
  }
  if (!(kk > 0)) return { overhead: 0, rate: 0 }
  const proportional = { overhead: 0, rate: Math.max(0, rx / rr) }
  const det = kk * rr - kr * kr
  // det / (kk·rr) = 1 − cos²(attempts, resource): below 1 % the resources are too alike (steps 98, 99, 100) for the
  // intercept to mean anything.
  if (!(det > 0.01 * kk * rr)) return proportional
  const overhead = (rr * kx - kr * rx) / det
  const rate = (kk * rx - kr * kx) / det
  if (rate < 0) return { overhead: Math.max(0, kx / kk), rate: 0 }
  if (overhead < 0) return proportional
  return { overhead, rate }
}
