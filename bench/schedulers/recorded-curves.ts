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

/** The table `npm run bench:tinylm-curves` writes: eval loss per evaluation under `loss`, no declared space. */
interface TinyLmTable {
  description?: string
  configs: { params: ParamValues; loss: number[] }[]
}

/**
 * Reads either format. For a tiny-LM table the space is inferred from the recorded values: a numeric parameter with
 * more than 4 distinct values is a float (log-scaled when it spans more than a decade), anything else categorical.
 */
function readCurvesFile(path: string): CurvesFile {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CurvesFile> & Partial<TinyLmTable>
  if (raw.space !== undefined || !Array.isArray(raw.configs) || raw.configs.length === 0 || !('loss' in raw.configs[0]))
    return raw as CurvesFile
  const configs = (raw as TinyLmTable).configs.map((c) => {
    const { seed: _seed, ...params } = c.params
    return { params, curve: c.loss }
  })
  const space: Record<string, Distribution> = {}
  for (const name of Object.keys(configs[0].params)) {
    const values = [...new Set(configs.map((c) => c.params[name]))]
    const numbers = values.filter((v): v is number => typeof v === 'number')
    if (numbers.length === values.length && values.length > 4) {
      const low = Math.min(...numbers)
      const high = Math.max(...numbers)
      space[name] = { kind: 'float', low, high, log: low > 0 && high / low > 10 }
    } else space[name] = { kind: 'categorical', choices: values.sort() }
  }
  return { name: 'tinylm-curves', space, configs }
}

/** Loads a recorded-curves file as a CurveProblem. */
export function loadRecordedCurves(path: string): CurveProblem {
  const data = readCurvesFile(path)
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
