import { isFeasible } from '../../analysis/pareto.ts'
import type { Direction, FrozenTrial } from '../../trial/frozen-trial.ts'
import type { SpaceEncoding } from './encoding.ts'

/** Encoded inputs (row-major, d columns) with one target per row. */
export interface Rows {
  readonly x: Float64Array
  readonly values: Float64Array
  readonly n: number
}

/** What the GP sampler learns from one history snapshot. */
export interface TrainingData {
  /** COMPLETE trials: encoded params and the first objective as a cost (lower is better: negated if maximised). */
  readonly objective: Rows
  /** Row-major n×m costs of every objective (lower is better), for multi-objective scalarisation. */
  readonly costs: Float64Array
  /** Per objective row: 1 when every constraint value is <= 0 (or there are none). */
  readonly feasible: Uint8Array
  /** One row set per constraint index (COMPLETE trials that report that constraint). */
  readonly constraints: readonly Rows[]
  /**
   * Labels for the crash model: +1 for FAIL trials marked `systemAttrs.infeasible === true` (e.g. out of memory),
   * −1 for COMPLETE trials; undefined when no trial is marked.
   */
  readonly crashes: Rows | undefined
  /** RUNNING trials whose parameters cover the space (other workers' points in flight). */
  readonly pending: Rows
}

/** Extracts training rows from a history; trials whose params do not fit the encoding are skipped. */
export function collectTrainingData(
  history: readonly FrozenTrial[],
  enc: SpaceEncoding,
  directions: readonly Direction[],
  constraintAware: boolean,
): TrainingData {
  const d = enc.size
  const row = new Float64Array(d)
  const obj = new RowBuilder(d)
  const feasible: number[] = []
  const cons: RowBuilder[] = []
  const crashes = new RowBuilder(d)
  const pending = new RowBuilder(d)
  let anyCrash = false
  const signs = directions.map((dir) => (dir === 'minimize' ? 1 : -1))
  const costs: number[] = []
  for (const t of history) {
    if (t.state === 'COMPLETE') {
      const vs = t.values
      if (vs === null || vs.length !== signs.length || !vs.every(Number.isFinite) || !enc.encode(t.params, row))
        continue
      obj.push(row, signs[0] * vs[0])
      for (let j = 0; j < vs.length; j++) costs.push(signs[j] * vs[j])
      const c = constraintAware ? constraintValues(t) : []
      // The one feasibility rule (a constraint that could not be checked counts as broken).
      feasible.push(!constraintAware || isFeasible(t) ? 1 : 0)
      c.forEach((ci, j) => {
        while (cons.length <= j) cons.push(new RowBuilder(d))
        if (Number.isFinite(ci)) cons[j].push(row, ci)
      })
      crashes.push(row, -1)
    } else if (t.state === 'FAIL' && constraintAware && t.systemAttrs.infeasible === true) {
      if (!enc.encode(t.params, row)) continue
      crashes.push(row, 1)
      anyCrash = true
    } else if (t.state === 'RUNNING') {
      if (enc.encode(t.params, row)) pending.push(row, 0)
    }
  }
  return {
    objective: obj.build(),
    costs: Float64Array.from(costs),
    feasible: Uint8Array.from(feasible),
    constraints: cons.map((c) => c.build()),
    crashes: anyCrash ? crashes.build() : undefined,
    pending: pending.build(),
  }
}

function constraintValues(t: FrozenTrial): number[] {
  const c = t.systemAttrs.constraints
  if (!Array.isArray(c)) return []
  return c.map((v) => (typeof v === 'number' ? v : Number.NaN))
}

class RowBuilder {
  readonly #x: number[] = []
  readonly #v: number[] = []
  constructor(readonly d: number) {}
  push(row: Float64Array, value: number): void {
    for (let i = 0; i < this.d; i++) this.#x.push(row[i])
    this.#v.push(value)
  }
  build(): Rows {
    return { x: Float64Array.from(this.#x), values: Float64Array.from(this.#v), n: this.#v.length }
  }
}
