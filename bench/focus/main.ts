/**
 * Focus benchmark: `npm run bench:focus -- [--seeds 20] [--first 50] [--second 30] [--problem lora-sft-surrogate]
 * [--sampler tpe|auto|random] [--match <arm label part>] [--first-seed 0]`.
 *
 * Does a focused follow-up (fANOVA after `first` trials, keep the top parameters, narrow them around the best
 * trials, fix the rest at the best values, then `second` trials) beat simply running `first + second` trials with
 * the same sampler? Prints the median final regret over seeds per arm, the per-seed win count, and fANOVA's picks.
 */
import { UsageError } from '../../src/core/errors.ts'
import { benchArgs } from '../bench-args.ts'
import { getProblem } from '../problems/index.ts'
import { type FocusSamplerName, type FocusVariant, label, runSeed, type SeedResult, useSampler } from './run-focus.ts'

const USAGE =
  'Usage: npm run bench:focus -- [--seeds 20] [--first 50] [--second 30] [--problem lora-sft-surrogate] [--sampler tpe|auto|random] [--match <arm label part>] [--first-seed 0]'

const VARIANTS: FocusVariant[] = [
  { keep: 3, quantile: 0.2, continued: true },
  { keep: 4, quantile: 0.2, continued: true },
  { keep: 4, quantile: 0.4, continued: true },
  { keep: 6, quantile: 0.3, continued: true },
  { keep: 10, quantile: 0.3, continued: true },
  { keep: 8, quantile: 0.3, continued: true },
  { keep: 10, quantile: 0.2, continued: true },
  { keep: 10, quantile: 0.5, continued: true },
  { keep: 3, quantile: 0.2 },
  { keep: 4, quantile: 0.2 },
  { keep: 3, quantile: 0.4 },
  { keep: 4, quantile: 0.4 },
  { keep: 3, quantile: 0.2, method: 'ped-anova' },
  { keep: 4, quantile: 0.2, method: 'ped-anova' },
  { keep: 3, quantile: 0.2, method: 'fanova-clipped' },
  { keep: 4, quantile: 0.2, method: 'fanova-clipped' },
  { keep: 3, quantile: 0.2, warm: true },
  { keep: 4, quantile: 0.2, warm: true },
  { keep: 3, quantile: 0.4, warm: true },
  { keep: 4, quantile: 0.4, warm: true },
  { keep: 6, quantile: 0.3 },
  { keep: 10, quantile: 0.3 },
  { keep: 10, quantile: 0.5 },
]

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x: number) => x.toExponential(3)
const pad = (cells: string[], widths: number[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd()

async function main(): Promise<void> {
  const values = benchArgs(USAGE, {
    seeds: { type: 'string', default: '20' },
    first: { type: 'string', default: '50' },
    second: { type: 'string', default: '30' },
    problem: { type: 'string', default: 'lora-sft-surrogate' },
    sampler: { type: 'string', default: 'tpe' },
    match: { type: 'string', default: '' },
    'first-seed': { type: 'string', default: '0' },
  })
  const problem = getProblem(values.problem!)
  useSampler(values.sampler as FocusSamplerName)
  const who = values.sampler === 'auto' ? 'auto (GP)' : values.sampler === 'random' ? 'random' : 'TPE'
  const variants = VARIANTS.filter((v) => label(v).includes(values.match!))
  const seeds = Number(values.seeds)
  const first = Number(values.first)
  const second = Number(values.second)
  console.log(
    `Focus benchmark on ${problem.name}: ${first} ${who} trials, then ${second} more (unfocused or focused); ${seeds} seeds`,
  )
  const results: SeedResult[] = []
  const t0 = performance.now()
  const firstSeed = Number(values['first-seed'])
  for (let k = 0; k < seeds; k++) {
    results.push(await runSeed(problem, firstSeed + k, first, second, variants))
    if ((k + 1) % 5 === 0) console.log(`${k + 1}/${seeds} seeds, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  }
  const rows: string[][] = [
    [`${who} ${first} (before the follow-up)`, fmt(median(results.map((r) => r.regretAtFirst))), '', '', ''],
    [`${who} ${first + second} unfocused`, fmt(median(results.map((r) => r.unfocused))), '', '', ''],
  ]
  for (const v of variants) {
    const l = label(v)
    const wins = results.filter((r) => r.focused[l] < r.unfocused).length
    const ties = results.filter((r) => r.focused[l] === r.unfocused).length
    rows.push([
      `${who} ${first} + focused ${second} (${l})`,
      fmt(median(results.map((r) => r.focused[l]))),
      fmt(median(results.map((r) => r.focusedPhaseOnly[l]))),
      `${wins} / ${seeds - wins - ties} / ${ties}`,
      fmt(median(results.map((r) => r.floor[l]))),
    ])
  }
  const header = [
    'arm',
    'median final regret',
    'focused phase only',
    'seeds better / worse / tied',
    'focused-space floor',
  ]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  console.log('')
  console.log(pad(header, widths))
  for (const r of rows) console.log(pad(r, widths))
  const picks = new Map<string, number>()
  for (const r of results) for (const p of r.ranking.slice(0, 4)) picks.set(p, (picks.get(p) ?? 0) + 1)
  console.log('')
  console.log(
    `fANOVA top-4 picks after ${first} trials (seeds out of ${seeds}): ${[...picks]
      .sort((a, b) => b[1] - a[1])
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}`,
  )
  console.log(
    'Regret = clean value of the best observed trial − f*. "focused phase only": best of the 30 focused trials alone. ' +
      '"focused-space floor": best of 2000 random points of the focused space (how good the focused space can get).',
  )
  console.log(`${((performance.now() - t0) / 1000).toFixed(0)} s`)
}

main().catch((e) => {
  console.error(e instanceof UsageError ? e.message : e)
  process.exitCode = e instanceof UsageError ? 2 : 1
})
