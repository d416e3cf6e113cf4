/**
 * Searching a narrowed space with a model of the whole study. When a study's space changes under it (a focused
 * follow-up narrows ranges and fixes parameters, then the same study goes on), the trials already run still say
 * where the good region is, but an intersection space drops every parameter whose distribution changed, so the GP
 * would see nothing and sample at random. Instead the GP models each parameter over the hull of its old and new
 * distributions (every trial fits there) and the acquisition is maximised over the new space only, mapped into the
 * model's inputs.
 *
 * @module
 */
import {
  type Distribution,
  isSingleValued,
  onlyValue,
  type ParamValue,
  type SearchSpace,
  sameDistribution,
} from '../../distributions/distribution.ts'
import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { Acquisition } from './acquisition.ts'
import { type SpaceEncoding, transformedBounds } from './encoding.ts'

/** How to model a study whose declared space differs from what its trials were sampled from. */
export interface RemapPlan {
  /** The declared parameters with a choice left (what the sampler proposes), sorted by name. */
  readonly free: SearchSpace
  /** Per modelled parameter, the hull of the trials' and the declared distributions (sorted by name). */
  readonly model: SearchSpace
  /** Declared single-valued parameters that the trials varied: modelled, held at this value. */
  readonly fixed: Readonly<Record<string, ParamValue>>
}

/**
 * The plan for a declared space, or undefined when no COMPLETE trial differs from it (the usual case: the sampler
 * then models the intersection space as always). A parameter is modelled when every COMPLETE trial has it with a
 * compatible distribution (same kind, log flag and step; categoricals always); the others are left to
 * independent sampling.
 */
export function planRemap(history: readonly FrozenTrial[], declared: SearchSpace): RemapPlan | undefined {
  const complete = history.filter((t) => t.state === 'COMPLETE')
  if (complete.length === 0) return undefined
  let changed = false
  const model: Record<string, Distribution> = {}
  const free: Record<string, Distribution> = {}
  const fixed: Record<string, ParamValue> = {}
  for (const name of Object.keys(declared).sort()) {
    const want = declared[name]
    let hull: Distribution | undefined = want
    for (const t of complete) {
      const d = t.distributions[name]
      if (d === undefined) {
        hull = undefined
        break
      }
      if (sameDistribution(d, want)) continue
      changed = true
      hull = hullOf(hull!, d)
      if (hull === undefined) break
    }
    if (hull === undefined) continue
    if (!isSingleValued(want)) free[name] = want
    if (isSingleValued(hull)) continue
    model[name] = hull
    if (isSingleValued(want)) fixed[name] = onlyValue(want)
  }
  return changed && Object.keys(free).length > 0 ? { free, model, fixed } : undefined
}

/** The smallest distribution holding both, or undefined when they cannot share one axis. */
export function hullOf(a: Distribution, b: Distribution): Distribution | undefined {
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== 'categorical' || b.kind !== 'categorical') return undefined
    const choices = [...a.choices]
    for (const c of b.choices) if (!choices.includes(c)) choices.push(c)
    return { kind: 'categorical', choices }
  }
  if (a.kind !== b.kind || a.log !== b.log || (a.step ?? null) !== (b.step ?? null)) return undefined
  // Stepped grids must line up, or one axis cannot hold both sets of values.
  if (a.step !== undefined && Math.abs(Math.round((a.low - b.low) / a.step) * a.step - (a.low - b.low)) > 1e-9)
    return undefined
  return { ...a, low: Math.min(a.low, b.low), high: Math.max(a.high, b.high) } as Distribution
}

/**
 * An acquisition over the free (declared) space, evaluated by the model-space acquisition: numeric inputs mapped
 * affinely (same transform, wider bounds), categorical choice indices looked up, fixed parameters held.
 */
export class RemappedAcquisition implements Acquisition {
  /** Per model dimension: the free dimension it reads (−1 when held), and how. */
  readonly #source: Int32Array
  readonly #offset: Float64Array
  readonly #scale: Float64Array
  readonly #choiceIndex: (Int32Array | undefined)[]
  readonly #x: Float64Array
  readonly #grad: Float64Array

  constructor(
    readonly inner: Acquisition,
    readonly search: SpaceEncoding,
    readonly model: SpaceEncoding,
    fixed: Readonly<Record<string, ParamValue>>,
  ) {
    const dm = model.size
    this.#source = new Int32Array(dm).fill(-1)
    this.#offset = new Float64Array(dm)
    this.#scale = new Float64Array(dm)
    this.#choiceIndex = new Array(dm).fill(undefined)
    this.#x = new Float64Array(dm)
    this.#grad = new Float64Array(dm)
    model.dims.forEach((mdim, j) => {
      const i = search.dims.findIndex((s) => s.name === mdim.name)
      if (i < 0) {
        const held = model.encodeValue(j, fixed[mdim.name])
        if (held === undefined) throw new Error(`GP remap: fixed ${mdim.name} does not fit the model space`)
        this.#offset[j] = held
        return
      }
      this.#source[j] = i
      const sdim = search.dims[i]
      if (mdim.dist.kind === 'categorical' && sdim.dist.kind === 'categorical') {
        const mChoices = mdim.dist.choices
        this.#choiceIndex[j] = Int32Array.from(sdim.dist.choices, (c) => mChoices.indexOf(c))
        return
      }
      const [sl, sh] = transformedBounds(sdim.dist as Exclude<Distribution, { kind: 'categorical' }>)
      const [ml, mh] = transformedBounds(mdim.dist as Exclude<Distribution, { kind: 'categorical' }>)
      // x_model = (t − ml)/(mh − ml) with t = sl + u·(sh − sl).
      const width = mh - ml
      this.#scale[j] = width > 0 ? (sh - sl) / width : 0
      this.#offset[j] = width > 0 ? (sl - ml) / width : 0.5
    })
  }

  /** Writes the model-space input of a free-space point x into out. */
  toModel(x: ArrayLike<number>, out: Float64Array): void {
    for (let j = 0; j < out.length; j++) {
      const i = this.#source[j]
      if (i < 0) out[j] = this.#offset[j]
      else {
        const map = this.#choiceIndex[j]
        out[j] = map !== undefined ? map[Math.round(x[i])] : this.#offset[j] + this.#scale[j] * x[i]
      }
    }
  }

  evaluate(x: ArrayLike<number>, grad?: Float64Array): number {
    this.toModel(x, this.#x)
    if (!grad) return this.inner.evaluate(this.#x)
    const v = this.inner.evaluate(this.#x, this.#grad)
    grad.fill(0)
    for (let j = 0; j < this.#x.length; j++) {
      const i = this.#source[j]
      if (i >= 0 && this.#choiceIndex[j] === undefined) grad[i] += this.#grad[j] * this.#scale[j]
    }
    return v
  }

  evaluateMany(xs: Float64Array, m: number): Float64Array {
    const ds = this.search.size
    const dm = this.model.size
    const mapped = new Float64Array(m * dm)
    for (let c = 0; c < m; c++) this.toModel(xs.subarray(c * ds, (c + 1) * ds), mapped.subarray(c * dm, (c + 1) * dm))
    return this.inner.evaluateMany(mapped, m)
  }
}
