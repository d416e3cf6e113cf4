/**
 * Real learning curves as a benchmark problem: a JSON file of configurations trained to the end, each with its
 * eval loss after every step, e.g. the tiny-LM sweep in `bench/data/tinylm-curves.json`. Format:
 *
 * ```json
 * { "name": "tinylm", "space": { "learning_rate": { "kind": "float", "low": 1e-5, "high": 1e-2, "log": true }, … },
 *   "configs": [ { "params": { "learning_rate": 3e-4, … }, "curve": [2.1, 1.9, …] }, … ] }
 * ```
 *
 * Every curve has the same length (= `maxStep`). A proposed configuration gets the curve of the nearest recorded
 * one (per parameter: distance in [0, 1] after normalising, in log space for log parameters; 1 for a different
 * category), so any sampler can run on it. Values are real measurements: observed = clean, the seed is unused,
 * and f* is the best recorded final value.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../../src/core/errors.ts'
import type { CurveProblem, Distribution, ParamValues } from '../problems/types.ts'

interface CurvesFile {
  name?: string
  space: Record<string, Distribution>
  configs: { params: ParamValues; curve: number[] }[]
}

/** Loads a recorded-curves file as a CurveProblem. */
export function loadRecordedCurves(path: string): CurveProblem {
  const data = JSON.parse(readFileSync(path, 'utf8')) as CurvesFile
  if (typeof data.space !== 'object' || !Array.isArray(data.configs) || data.configs.length === 0)
    throw new UsageError(
      `Curves file ${path} needs "space" and a non-empty "configs" list. See bench/schedulers/recorded-curves.ts.`,
    )
  const maxStep = data.configs[0].curve.length
  const bad = data.configs.findIndex((c) => c.curve.length !== maxStep || c.curve.some((v) => typeof v !== 'number'))
  if (bad >= 0)
    throw new UsageError(
      `Curves file ${path}: config ${bad} has a curve of another length than ${maxStep} or a non-number. Record every step.`,
    )
  const space = data.space
  const nearest = (p: ParamValues) => {
    let best = data.configs[0]
    let bestD = Number.POSITIVE_INFINITY
    for (const c of data.configs) {
      let d = 0
      for (const [name, dist] of Object.entries(space)) d += distance(dist, p[name], c.params[name]) ** 2
      if (d < bestD) {
        bestD = d
        best = c
      }
    }
    return best.curve
  }
  const fstar = Math.min(...data.configs.map((c) => c.curve[maxStep - 1]))
  return {
    name: data.name ?? 'recorded-curves',
    space,
    fstar,
    noisy: false,
    maxStep,
    evaluate(params) {
      const v = nearest(params)[maxStep - 1]
      return { observed: v, clean: v }
    },
    evaluateAt(params, _seed, step) {
      const v = nearest(params)[step - 1]
      return { observed: v, clean: nearest(params)[maxStep - 1] }
    },
  }
}

function distance(d: Distribution, a: unknown, b: unknown): number {
  if (d.kind === 'categorical') return a === b ? 0 : 1
  if (typeof a !== 'number' || typeof b !== 'number') return 1
  const f = (x: number) => (d.log ? Math.log(x) : x)
  const span = f(d.high) - f(d.low)
  return span > 0 ? Math.abs(f(a) - f(b)) / span : 0
}
