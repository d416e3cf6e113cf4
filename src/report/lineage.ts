/**
 * How a study came to be and changed, read from its system attributes: the `winnow focus` links (`focusedFrom`,
 * `focus`, `focusedInto`, `focusedInPlace`) and the earlier versions of its study file (`earlierStudyFiles`,
 * stored by `winnow tune` when a continued study's file or recorded inputs changed). Shared by the report and
 * `winnow status`.
 *
 * @module
 */
import type { Json } from '../core/json.ts'

/** One step of a study's lineage: a short phrase (`winnow status`) and, for the report, its details. */
export interface LineageStep {
  readonly summary: string
  readonly detail?: string
}

/** A study file a continued study ran under before it changed. */
export interface EarlierStudyFile {
  /** The first trial run under the next version. */
  readonly untilTrial: number
  readonly sha256: string
  readonly text: string
}

/** The study's lineage: focus links and in-place narrowings, oldest first, and its earlier study files. */
export interface Lineage {
  readonly steps: readonly LineageStep[]
  readonly earlierStudyFiles: readonly EarlierStudyFile[]
}

type Attrs = Readonly<Record<string, Json>>

const obj = (v: Json | undefined): Attrs | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Attrs) : undefined
const list = (v: Json | undefined): readonly Json[] => (Array.isArray(v) ? v : [])

/** The follow-up studies `winnow focus` made from a study (its `focusedInto` names). */
export function followUps(attrs: Attrs): string[] {
  return list(attrs.focusedInto).filter((x): x is string => typeof x === 'string')
}

/** Reads the lineage from a study's system attributes; absent or malformed entries are skipped. */
export function lineageOf(attrs: Attrs): Lineage {
  const steps: LineageStep[] = []
  if (typeof attrs.focusedFrom === 'string') {
    const f = obj(attrs.focus)
    steps.push({ summary: `focused from "${attrs.focusedFrom}"`, ...optionalDetail(f && focusDetail(f)) })
  }
  const into = followUps(attrs)
  if (into.length > 0) steps.push({ summary: `follow-up ${into.map((n) => `"${n}"`).join(', ')}` })
  for (const entry of list(attrs.focusedInPlace)) {
    const f = obj(entry)
    if (f === undefined) continue
    const kept = keptOf(f).join(', ')
    steps.push({
      summary: `narrowed in place after ${String(f.afterTrials)} trials (kept ${kept})`,
      ...optionalDetail(focusDetail(f) + (typeof f.backup === 'string' ? `; previous file kept as ${f.backup}` : '')),
    })
  }
  const earlierStudyFiles = list(attrs.earlierStudyFiles).flatMap((e): EarlierStudyFile[] => {
    const o = obj(e)
    return o && typeof o.text === 'string' && typeof o.untilTrial === 'number'
      ? [{ untilTrial: o.untilTrial, sha256: String(o.sha256 ?? ''), text: o.text }]
      : []
  })
  return { steps, earlierStudyFiles }
}

function keptOf(f: Attrs): string[] {
  return list(f.narrowed).flatMap((n) => {
    const p = obj(n)?.param
    return typeof p === 'string' ? [p] : []
  })
}

/** "fanova, top 20 % of trials; kept lr, lora_r; fixed a=0.5, b=y" */
function focusDetail(f: Attrs): string {
  const parts: string[] = []
  if (typeof f.method === 'string')
    parts.push(
      `${f.method}${typeof f.quantile === 'number' ? `, ranges from the best ${Math.round(f.quantile * 100)} % of trials` : ''}`,
    )
  const kept = keptOf(f)
  if (kept.length > 0) parts.push(`kept ${kept.join(', ')}`)
  const fixed = Object.entries(obj(f.fixed) ?? {})
  if (fixed.length > 0) parts.push(`fixed ${fixed.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`)
  return parts.join('; ')
}

/** "Study file of trials #3–#15 (SHA-256 1a2b3c4d5e6f…)": the trials the i-th earlier file was in force for. */
export function earlierFileLabel(files: readonly EarlierStudyFile[], i: number): string {
  const from = i === 0 ? 0 : files[i - 1].untilTrial
  const to = files[i].untilTrial - 1
  const trials = to < from ? 'no trial' : to === from ? `trial #${from}` : `trials #${from}–#${to}`
  return `Study file of ${trials} (SHA-256 ${files[i].sha256.slice(0, 12)}…)`
}

const optionalDetail = (detail: string | undefined) => (detail ? { detail } : {})
