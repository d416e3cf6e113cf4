/**
 * EXPERIMENT: a GP that also learns from pruned trials. PRUNED trials are shown to the inner sampler as COMPLETE
 * with their last reported value (a lower-fidelity value, so a region pruned early looks as bad as it looked then),
 * and the training set is capped: every COMPLETE trial, then PRUNED ones by how far they got and how good they were
 * there, then the most recent others.
 */
import type { Distribution, ParamValue, ParamValues, SearchSpace } from '../../src/core/distributions/distribution.ts'
import type { Sampler, SamplingContext } from '../../src/core/samplers/sampler.ts'
import type { FrozenTrial } from '../../src/core/trial/frozen-trial.ts'

export class PrunedImputingSampler implements Sampler {
  readonly name: string
  private readonly views = new WeakMap<readonly FrozenTrial[], readonly FrozenTrial[]>()
  constructor(
    readonly inner: Sampler,
    private readonly cap = 150,
    private readonly recent = 40,
  ) {
    this.name = `imputed(${inner.name})`
  }
  inferRelativeSpace(ctx: SamplingContext): SearchSpace {
    return this.inner.inferRelativeSpace(this.view(ctx))
  }
  sampleRelative(ctx: SamplingContext, space: SearchSpace): ParamValues {
    return this.inner.sampleRelative(this.view(ctx), space)
  }
  sampleIndependent(ctx: SamplingContext, param: string, d: Distribution): ParamValue {
    return this.inner.sampleIndependent(this.view(ctx), param, d)
  }
  private view(ctx: SamplingContext): SamplingContext {
    let h = this.views.get(ctx.history)
    if (h === undefined) {
      const done = ctx.history.filter((t) => t.state === 'COMPLETE')
      const pruned = ctx.history
        .filter((t) => t.state === 'PRUNED' && t.intermediate.length > 0)
        .map((t) => ({ t, step: t.intermediate.at(-1)!.step, v: t.intermediate.at(-1)!.value }))
      const room = Math.max(0, this.cap - done.length)
      const byRecency = [...pruned].sort((a, b) => b.t.number - a.t.number).slice(0, Math.min(this.recent, room))
      const chosen = new Set(byRecency.map((x) => x.t.id))
      const byRank = pruned
        .filter((x) => !chosen.has(x.t.id))
        .sort((a, b) => b.step - a.step || a.v - b.v)
        .slice(0, room - chosen.size)
      for (const x of byRank) chosen.add(x.t.id)
      const others = ctx.history.filter((t) => t.state !== 'COMPLETE' && t.state !== 'PRUNED')
      h = [
        ...done,
        ...pruned.filter((x) => chosen.has(x.t.id)).map((x) => ({ ...x.t, state: 'COMPLETE' as const, values: [x.v] })),
        ...others,
      ]
      this.views.set(ctx.history, h)
    }
    return { ...ctx, history: h }
  }
}
