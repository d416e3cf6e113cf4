import { type Distribution, isSingleValued, type SearchSpace, toInternal } from '../../distributions/distribution.ts'
import { NotEnoughTrialsError } from '../../errors.ts'
import { coveringSearchSpace } from '../../search-space/covering.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'

/** One parameter's importance; lists of them are sorted most important first and sum to 1 (when any is > 0). */
export interface ParamImportance {
  readonly param: string
  readonly importance: number
}

/** Options shared by the importance evaluators. */
export interface ImportanceOptions {
  /** Parameters to rank. @default the parameters every COMPLETE trial shares, over the range they cover together (single-valued ones left out) */
  readonly space?: SearchSpace
  /** Direction of the objective (PED-ANOVA's top quantile depends on it). @default 'minimize' */
  readonly direction?: Direction
  /** Which objective, for multi-objective studies. @default 0 */
  readonly objective?: number
  /** Seed of the random forest (fANOVA). @default 0 */
  readonly seed?: number
}

/**
 * A feature matrix for importance analysis: one column per parameter, in the space the analysis treats as
 * uniform. Log parameters are in log space; ints and stepped floats are widened by half a step so every grid
 * value owns an equal share; categoricals are the choice index (`nCats[j] > 0`).
 */
export interface EncodedTrials {
  readonly names: readonly string[]
  readonly distributions: readonly Distribution[]
  /** Row-major n × d. */
  readonly x: Float64Array
  readonly y: Float64Array
  readonly n: number
  readonly d: number
  /** Lower and upper bound of each numeric column (unused for categoricals). */
  readonly low: Float64Array
  readonly high: Float64Array
  /** Number of choices of a categorical column; 0 for numeric columns. */
  readonly nCats: Int32Array
}

/**
 * The space analysed by default: the COMPLETE trials' shared parameters that can take more than one value, each
 * over the range all trials together cover (a study narrowed part-way keeps the parameter it narrowed).
 */
export function importanceSpace(trials: readonly FrozenTrial[], space?: SearchSpace): SearchSpace {
  const base = space ?? coveringSearchSpace(trials)
  return Object.fromEntries(Object.entries(base).filter(([, d]) => !isSingleValued(d)))
}

/** The [low, high] interval a numeric distribution covers in the analysis space (see `EncodedTrials`). */
export function numericBounds(d: Exclude<Distribution, { kind: 'categorical' }>): [number, number] {
  const step = d.step ?? (d.kind === 'int' ? 1 : undefined)
  const pad = step === undefined ? 0 : step / 2
  if (d.log) return [Math.log(Math.max(d.low - pad, d.low / 2)), Math.log(d.high + pad)]
  return [d.low - pad, d.high + pad]
}

/** Maps a numeric value into the analysis space (log for log distributions). */
export function toAnalysis(d: Distribution, value: number): number {
  return d.kind !== 'categorical' && d.log ? Math.log(value) : value
}

/**
 * Encodes the COMPLETE trials that have every parameter of `space` and a finite value of the objective.
 * Values are negated for `maximize`, so lower is always better in the result.
 */
export function encodeTrials(trials: readonly FrozenTrial[], space: SearchSpace, opts: ImportanceOptions = {}) {
  const names = Object.keys(space).sort()
  const dists = names.map((n) => space[n])
  const objective = opts.objective ?? 0
  const sign = (opts.direction ?? 'minimize') === 'maximize' ? -1 : 1
  const rows: number[][] = []
  const ys: number[] = []
  for (const t of trials) {
    if (t.state !== 'COMPLETE' || t.values === null) continue
    const v = t.values[objective]
    if (v === undefined || !Number.isFinite(v)) continue
    if (!names.every((n) => Object.hasOwn(t.params, n))) continue
    const row: number[] = []
    let ok = true
    for (let j = 0; j < names.length && ok; j++) {
      const d = dists[j]
      const raw = t.params[names[j]]
      if (d.kind === 'categorical') {
        const i = d.choices.indexOf(raw)
        if (i < 0) ok = false
        else row.push(i)
      } else if (typeof raw !== 'number') ok = false
      else row.push(toAnalysis(d, Math.min(d.high, Math.max(d.low, toInternal(d, raw)))))
    }
    if (!ok) continue
    rows.push(row)
    ys.push(sign * v)
  }
  const n = rows.length
  const d = names.length
  const x = new Float64Array(n * d)
  for (let i = 0; i < n; i++) x.set(rows[i], i * d)
  const low = new Float64Array(d)
  const high = new Float64Array(d)
  const nCats = new Int32Array(d)
  dists.forEach((dist, j) => {
    if (dist.kind === 'categorical') nCats[j] = dist.choices.length
    else [low[j], high[j]] = numericBounds(dist)
  })
  return { names, distributions: dists, x, y: Float64Array.from(ys), n, d, low, high, nCats } as EncodedTrials
}

/** Throws when too few trials are usable for an importance analysis. */
export function requireTrials(enc: EncodedTrials, method: string, min = 2): void {
  if (enc.n >= min) return
  throw new NotEnoughTrialsError(
    `${method} needs at least ${min} COMPLETE trials with every parameter of [${enc.names.join(', ')}], but found ${enc.n}. Run more trials first.`,
  )
}

/** Sorts importances (most important first, then by name) and scales them to sum to 1 when the sum is positive. */
export function normaliseImportances(raw: ReadonlyMap<string, number>): ParamImportance[] {
  let sum = 0
  for (const v of raw.values()) sum += v
  const out = [...raw].map(([param, v]) => ({ param, importance: sum > 0 ? v / sum : 0 }))
  return out.sort((a, b) => b.importance - a.importance || (a.param < b.param ? -1 : 1))
}
