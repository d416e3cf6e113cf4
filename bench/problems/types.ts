/**
 * The shape of a benchmark problem, shared by the built-in public suite (shared/bench/PROBLEMS.md), the sampler
 * and scheduler benchmarks, and user modules passed with `--problem-module`.
 */
import type { Distribution, ParamValues } from '../../src/core/distributions/distribution.ts'

export type {
  CategoricalChoice,
  Distribution,
  ParamValue,
  ParamValues,
} from '../../src/core/distributions/distribution.ts'

/** One evaluation: the value the optimizer sees and the noiseless value used for regret. */
export interface Evaluation {
  /** The observed (possibly noisy) value; this is what the optimizer is told. */
  readonly observed: number
  /** The noiseless value of the same configuration; equal to `observed` for noiseless problems. */
  readonly clean: number
}

/** A minimisation problem with a known (or approximately known) optimum. */
export interface BenchProblem {
  /** Unique name, e.g. `hartmann6`, `lora-sft-surrogate`; also the prefix of the noise hash key. */
  readonly name: string
  /** Search space in Winnow's Distribution shape, by parameter name. */
  readonly space: Readonly<Record<string, Distribution>>
  /** Optimum of the noiseless objective (exact for test functions, approximate for surrogates); regret = clean − fstar. */
  readonly fstar: number
  /** Whether `observed` differs from `clean`. */
  readonly noisy: boolean
  /** A known minimiser (clean value ≈ fstar), when one is known. */
  readonly xstar?: ParamValues
  /**
   * Observed and noiseless value of a configuration. Deterministic: the same (params, seed) always gives the same
   * result, whatever the evaluation order. `seed` is the run seed (noise seed).
   */
  evaluate(params: ParamValues, seed: number): Evaluation
}

/** A multi-fidelity problem: a trial reports an intermediate value at every step 1..maxStep. */
export interface CurveProblem extends BenchProblem {
  /** The last step (full training); `evaluateAt(p, s, maxStep)` equals `evaluate(p, s)`. */
  readonly maxStep: number
  /** Observed value after `step` (integer, 1..maxStep) and its noiseless counterpart. */
  evaluateAt(params: ParamValues, seed: number, step: number): Evaluation
}

/** True when `p` reports learning curves (has `maxStep` and `evaluateAt`). */
export function isCurveProblem(p: BenchProblem): p is CurveProblem {
  const c = p as Partial<CurveProblem>
  return typeof c.evaluateAt === 'function' && typeof c.maxStep === 'number'
}

/** The whole curve of a configuration: observed and clean values at steps 1..maxStep (index 0 = step 1). */
export function curveOf(
  problem: CurveProblem,
  params: ParamValues,
  seed: number,
): { observed: number[]; clean: number[] } {
  const observed: number[] = []
  const clean: number[] = []
  for (let t = 1; t <= problem.maxStep; t++) {
    const e = problem.evaluateAt(params, seed, t)
    observed.push(e.observed)
    clean.push(e.clean)
  }
  return { observed, clean }
}
