/**
 * What both modes of `winnow focus` share: the focus itself (importance, then `focusSpace`), the details recorded
 * on the study, the rewritten study file and the printed ranges.
 *
 * @module
 */

import { parseDocument } from 'yaml'
import type { SpaceConfig } from '../../config/index.ts'
import { findBaseline } from '../../core/analysis/baseline.ts'
import { type FocusResult, focusSpace } from '../../core/analysis/focus.ts'
import { type ImportanceMethod, paramImportance, sensitivity } from '../../core/analysis/importance/index.ts'
import {
  type Distribution,
  describeDistribution,
  isSingleValued,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../../core/distributions/distribution.ts'
import { NotEnoughTrialsError } from '../../core/errors.ts'
import type { Json } from '../../core/json.ts'
import { coveringSearchSpace } from '../../core/search-space/covering.ts'
import type { StudyInfo } from '../../core/storage.ts'
import type { Direction, FrozenTrial } from '../../core/trial/frozen-trial.ts'
import { formatNumber, formatParam, table } from '../format.ts'

/** The flags of `winnow focus`. */
export interface FocusFlags {
  storage: string
  keep: number
  quantile: number
  name?: string
  method: ImportanceMethod
  force?: boolean
  continue?: boolean
}

/** Parameters with their importance, most important first. */
export type Ranked = readonly { param: string; importance: number }[]

/** Ranks the parameters and focuses the space on the best trials. */
export function focusOf(trials: readonly FrozenTrial[], space: SearchSpace, info: StudyInfo, flags: FocusFlags) {
  // Below this, the "top trials" are one or two points and the importance ranking is noise: narrowing around them
  // would throw away the space on a coin flip.
  if (trials.length < MIN_FOCUS_TRIALS)
    throw new NotEnoughTrialsError(
      `Study "${info.name}" has ${trials.length} completed trial${trials.length === 1 ? '' : 's'}; focus needs at least ${MIN_FOCUS_TRIALS} to rank the parameters and find the top ones (30 or more is better). Run more trials first (winnow tune … --trials N).`,
    )
  const direction = info.directions[0]
  // Ranked over the range all the trials cover (after an earlier narrowing, older trials lie outside the file's
  // space, and clamping them to its edges would distort the ranking); narrowed within the file's space.
  const covering = coveringSearchSpace(trials)
  const rankSpace = Object.fromEntries(Object.keys(space).flatMap((k) => (covering[k] ? [[k, covering[k]]] : [])))
  const ranked = paramImportance(flags.method, trials, { direction, space: rankSpace })
  const levels = info.systemAttrs.sampler === 'ofat' ? bestSweepLevels(trials, direction) : undefined
  const result = focusSpace(space, trials, ranked, {
    keep: flags.keep,
    quantile: flags.quantile,
    direction,
    ...(levels !== undefined ? { baseline: levels } : {}),
  })
  return { ranked, result }
}

/**
 * For a one-at-a-time sweep: each parameter's best level in its own sweep (the baseline's value when no other level
 * beat it). The best single trial changes one parameter from the baseline and keeps the others at the baseline's
 * values; fixing the unimportant ones there ignored what their own sweeps showed (an audit: lora_r fixed at 16
 * although its sweep found 32 better).
 */
function bestSweepLevels(trials: readonly FrozenTrial[], direction: Direction): ParamValues | undefined {
  const baseline = findBaseline(trials)
  if (baseline?.state !== 'COMPLETE') return undefined
  const sign = direction === 'maximize' ? -1 : 1
  const levels: Record<string, ParamValue> = {}
  for (const s of sensitivity(trials, baseline.params)) {
    // Ties keep the baseline's value: a level that did no better than it is no reason to move.
    const best = s.points.reduce<(typeof s.points)[number] | undefined>(
      (a, b) => (a === undefined || sign * b.objective < sign * a.objective ? b : a),
      s.points.find((p) => p.isBaseline),
    )
    if (best !== undefined) levels[s.param] = best.value
  }
  return levels
}

/** Completed trials focus needs before it narrows anything. */
export const MIN_FOCUS_TRIALS = 10

/** What is recorded on the study about a focus. */
export function focusDetails(
  from: string,
  flags: FocusFlags,
  ranked: Ranked,
  result: FocusResult,
): Record<string, Json> {
  return {
    from,
    method: flags.method,
    keep: flags.keep,
    quantile: flags.quantile,
    bestTrial: result.best.number,
    importances: ranked.map((e) => ({ param: e.param, importance: e.importance })),
    fixed: { ...result.fixed },
    narrowed: result.narrowed.map((n) => ({ param: n.param, from: n.from, to: n.to }) as unknown as Json),
  }
}

/** The study file with the given name, the focused space and the best trial as baseline; comments kept. */
export function focusedStudyFile(
  text: string,
  space: SpaceConfig,
  newName: string,
  note: string,
  r: FocusResult,
  baselineNote?: string,
): string {
  const doc = parseDocument(text)
  doc.set('name', newName)
  for (const [param, p] of Object.entries(space)) {
    const d = r.space[param]
    const node = doc.createNode({ ...paramConfig(d), ...(p.when ? { when: p.when } : {}) }, { flow: true })
    if (Object.hasOwn(r.fixed, param)) node.comment = ' fixed (not among the --keep most important)'
    doc.setIn(['space', param], node)
  }
  const spaceNode = doc.get('space', true) as { commentBefore?: string | null } | undefined
  if (spaceNode)
    spaceNode.commentBefore = ` ${note}: ${r.narrowed.map((n) => n.param).join(', ')} narrowed around the top trials; the rest fixed at ${sameAsBest(r) ? `trial #${r.best.number}` : "each one's best level in the sweep"}.`
  const baseline = Object.fromEntries(
    Object.keys(space)
      .filter((k) => Object.hasOwn(r.start, k))
      .map((k) => [k, r.start[k]]),
  )
  const baselineNode = doc.createNode(baseline, { flow: true })
  if (baselineNote !== undefined) baselineNode.comment = ` ${baselineNote}`
  doc.set('baseline', baselineNode)
  return doc.toString({ lineWidth: 0 })
}

function paramConfig(d: Distribution): Record<string, Json> {
  if (d.kind === 'categorical') return { type: 'categorical', choices: [...d.choices] }
  const out: Record<string, Json> = { type: d.kind, low: d.low, high: d.high }
  if (d.log) out.log = true
  if (d.step !== undefined && !(d.kind === 'int' && d.step === 1)) out.step = d.step
  return out
}

/** The method, the kept parameters with their old and new ranges, and the fixed ones. */
export function printRanges(info: StudyInfo, r: FocusResult, ranked: Ranked, flags: FocusFlags): void {
  const imp = new Map(ranked.map((e) => [e.param, e.importance]))
  const pct = (p: string) => `${((imp.get(p) ?? 0) * 100).toFixed(1)} %`
  console.log(
    `Focus of "${info.name}" (${flags.method}; ranges from the best ${r.top.length} trials, quantile ${flags.quantile}; best #${r.best.number}: ${formatNumber(r.best.values![0])}).`,
  )
  console.log(
    table(
      ['kept', 'importance', 'from', 'to'],
      // A kept parameter the top trials all set alike is narrowed to one value: say it is fixed by that.
      r.narrowed.map((n) => [
        n.param,
        pct(n.param),
        describeDistribution(n.from),
        `${describeDistribution(n.to)}${isSingleValued(n.to) ? ' (the top trials all used it: fixed)' : ''}`,
      ]),
    ),
  )
  const fixed = Object.entries(r.fixed)
  if (fixed.length > 0) console.log(`Fixed: ${fixed.map(([k, v]) => `${k}=${formatParam(v)} (${pct(k)})`).join(', ')}`)
}

/** Whether the focused search starts from the best trial itself (else from it with other fixed values). */
export function sameAsBest(r: FocusResult): boolean {
  return Object.entries(r.start).every(([k, v]) => r.best.params[k] === v)
}
