/**
 * Ad-hoc scheduler variants named on the command line, for sweeps without editing variants.ts:
 * `sha:m<minPct>:e<eta>[:s<smoothing>][:z<confidence>][:promo][:mf][:uni][:bw<factor>][:st<nStartup>][:g<cap>]` (g: TPE's good set
 * min(ceil(0.1·n), cap) instead of Optuna's cap of 25), e.g. `sha:m10:e3:s5:uni` =
 * stopping-mode successive halving with the first rung at 10 % of full fidelity, η 3, rung values averaged over
 * 5 reports, and univariate TPE; `mf` wraps the sampler in MultiFidelitySampler (model on the highest rung with enough data).
 */

import { UsageError } from '../../src/core/errors.ts'
import type { TpeSamplerOptions } from '../../src/core/samplers/tpe/tpe-options.ts'
import { MultiFidelitySampler } from '../../src/core/schedulers/multi-fidelity-sampler.ts'
import { SuccessiveHalvingScheduler } from '../../src/core/schedulers/successive-halving-scheduler.ts'
import { VARIANTS, type Variant } from './variants.ts'

/** The variant of that name: one of VARIANTS or a `sha:…` description; undefined when unknown. */
export function findVariant(name: string): Variant | undefined {
  const known = VARIANTS.find((v) => v.name === name)
  if (known !== undefined) return known
  if (!name.startsWith('sha:')) return undefined
  let minPct = 5
  let eta = 4
  let smoothing = 1
  let mode: 'stopping' | 'promotion' = 'stopping'
  let confidence = 0
  let multiFidelity = false
  const tpe: { -readonly [K in keyof TpeSamplerOptions]: TpeSamplerOptions[K] } = {}
  for (const tok of name.slice(4).split(':')) {
    const num = Number(tok.replace(/^[a-z]+/, ''))
    if (tok === 'promo') mode = 'promotion'
    else if (tok === 'mf') multiFidelity = true
    else if (tok === 'uni') tpe.multivariate = false
    else if (tok.startsWith('bw')) tpe.bandwidthFactor = num
    else if (tok.startsWith('g')) tpe.gamma = (n: number) => Math.min(Math.ceil(0.1 * n), num)
    else if (tok.startsWith('st')) tpe.nStartupTrials = num
    else if (tok.startsWith('z')) confidence = num
    else if (tok.startsWith('m')) minPct = num
    else if (tok.startsWith('e')) eta = num
    else if (tok.startsWith('s')) smoothing = num
    else throw new UsageError(`Variant "${name}": unknown part "${tok}". See bench/schedulers/custom-variant.ts.`)
  }
  return {
    name,
    describe: `successive halving (${mode}), first rung ${minPct} % of max, η ${eta}, smoothing ${smoothing}, confidence ${confidence}, TPE ${JSON.stringify(tpe)}`,
    make: (m, s) => {
      const scheduler = new SuccessiveHalvingScheduler({
        resource: { kind: 'steps', min: Math.max(1, Math.round((m * minPct) / 100)), max: m, reductionFactor: eta },
        mode,
        smoothing,
        confidence,
      })
      const sampler = s(tpe)
      return { scheduler, sampler: multiFidelity ? new MultiFidelitySampler(sampler, { levels: scheduler }) : sampler }
    },
  }
}
