import assert from 'node:assert/strict'
import { test } from 'node:test'
import { floatDist } from './distributions/distribution.ts'
import type { WinnowError } from './errors.ts'
import { checkOptionNames, type OptionNames } from './option-names.ts'
import { AutoSampler } from './samplers/auto-sampler.ts'
import { CmaEsSampler } from './samplers/cmaes/cmaes-sampler.ts'
import { GpSampler } from './samplers/gp/gp-sampler.ts'
import { GridSampler } from './samplers/grid-sampler.ts'
import { Nsga2Sampler } from './samplers/nsga2/nsga2-sampler.ts'
import { OfatSampler } from './samplers/ofat-sampler.ts'
import { QmcSampler } from './samplers/qmc-sampler.ts'
import { RandomSampler } from './samplers/random-sampler.ts'
import { TpeSampler } from './samplers/tpe/tpe-sampler.ts'
import {
  defaultScheduler,
  HyperbandScheduler,
  MedianScheduler,
  MultiFidelitySampler,
  PatientScheduler,
  PbtScheduler,
  PercentileScheduler,
  SuccessiveHalvingScheduler,
  ThresholdScheduler,
  WilcoxonScheduler,
} from './schedulers/index.ts'

interface Opts {
  readonly nCandidates?: number
  readonly seed?: number
}
const NAMES = { nCandidates: true, seed: true } satisfies OptionNames<Opts>

test('known names and no options pass', () => {
  checkOptionNames('Thing', { nCandidates: 3 }, NAMES)
  checkOptionNames('Thing', {}, NAMES)
  checkOptionNames('Thing', undefined, NAMES)
})

test('a misspelled name is refused with the closest one and the list', () => {
  assert.throws(
    () => checkOptionNames('GpSampler', { nCandiates: 3 } as Opts, NAMES),
    (e: WinnowError) =>
      e.code === 'invalid_config' &&
      e.message === 'GpSampler has no option `nCandiates`. Did you mean `nCandidates`? Its options: nCandidates, seed.',
  )
})

test('an unrelated name gets the list only', () => {
  assert.throws(
    () => checkOptionNames('Thing', { population: 3 } as Opts, NAMES),
    /^WinnowError: Thing has no option `population`\. Its options: nCandidates, seed\.$/,
  )
})

test('every sampler and scheduler refuses a misspelled option instead of ignoring it', () => {
  const resource = { min: 1, max: 9 }
  const space = { x: floatDist('x', 0, 1) }
  const makers: [string, (extra: object) => unknown][] = [
    ['AutoSampler', (e) => new AutoSampler({ ...e })],
    ['RandomSampler', (e) => new RandomSampler({ ...e } as Record<string, never>)],
    ['GpSampler', (e) => new GpSampler({ ...e })],
    ['TpeSampler', (e) => new TpeSampler({ ...e })],
    ['CmaEsSampler', (e) => new CmaEsSampler({ ...e })],
    ['Nsga2Sampler', (e) => new Nsga2Sampler({ ...e })],
    ['QmcSampler', (e) => new QmcSampler({ ...e })],
    ['GridSampler', (e) => new GridSampler({ grid: { x: [1] }, ...e })],
    ['OfatSampler', (e) => new OfatSampler({ space, baseline: { x: 0.5 }, ...e })],
    ['MedianScheduler', (e) => new MedianScheduler({ ...e })],
    ['PercentileScheduler', (e) => new PercentileScheduler({ percentile: 25, ...e })],
    ['ThresholdScheduler', (e) => new ThresholdScheduler({ upper: 5, ...e })],
    ['WilcoxonScheduler', (e) => new WilcoxonScheduler({ ...e })],
    ['PatientScheduler', (e) => new PatientScheduler(undefined, { patience: 2, ...e })],
    ['SuccessiveHalvingScheduler', (e) => new SuccessiveHalvingScheduler({ resource, ...e })],
    ['HyperbandScheduler', (e) => new HyperbandScheduler({ resource, ...e })],
    ['PbtScheduler', (e) => new PbtScheduler({ interval: 2, space, ...e })],
    ['MultiFidelitySampler', (e) => new MultiFidelitySampler(new RandomSampler(), { levels: [1, 3, 9], ...e })],
    ['SuccessiveHalvingScheduler resource', (e) => new SuccessiveHalvingScheduler({ resource: { ...resource, ...e } })],
    ['defaultScheduler', (e) => defaultScheduler({ max: 9 }, { ...e })],
    ['defaultScheduler resource', (e) => defaultScheduler({ max: 9, ...e })],
  ]
  for (const [owner, make] of makers) {
    assert.doesNotThrow(() => make({}), owner)
    assert.throws(
      () => make({ seeed: 1 }),
      (e: WinnowError) => e.code === 'invalid_config' && e.message.startsWith(`${owner} has no option \`seeed\`.`),
      owner,
    )
  }
})
