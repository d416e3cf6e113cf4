import { buildReportData } from '../report/build-report-data.ts'
import type { Curve, ReportData, Reproducibility } from '../report/report-data.ts'
import type { StudyCache } from './study-cache.ts'
import { digestStudy, type StudyDigest } from './study-digest.ts'

/** The dashboard shows no reproducibility record (that is the report's job), so the report data gets an empty one. */
const NO_REPRO: Reproducibility = {
  winnowVersion: '',
  seeds: [],
  host: { hostname: '', cpu: '', cpus: 0, node: '', platform: '' },
  hashes: [],
}

/** Most learning curves drawn: past this a page would weigh megabytes and redraw every second. */
export const MAX_CURVES = 300

/**
 * A costly view (importance fits a random forest: about 0.7 s at 2,000 trials) is rebuilt at most once per this
 * many times its build time, so a live page of a big, busy study keeps the server's CPU mostly free.
 */
const REPORT_STALE_FACTOR = 10

/** The report's data for a cached study and whether it reflects the study's current version. */
export interface DashboardData {
  readonly data: ReportData
  readonly fresh: boolean
  /** How many learning curves were left out (MAX_CURVES). */
  readonly curvesOmitted: number
}

/**
 * The report's data for a cached study (history, curves, importance, sensitivity, cost, rank transfer), rebuilt
 * only when the study's version moved and not more often than REPORT_STALE_FACTOR allows; learning curves are
 * capped at MAX_CURVES (best, baseline, then the most recent).
 */
export function reportDataOf(cache: StudyCache): DashboardData {
  const full = cache.derived(
    'report',
    () => buildReportData(cache.info, cache.trials(), NO_REPRO, new Date()),
    REPORT_STALE_FACTOR,
  )
  const curves = capCurves(full.curves)
  return {
    data: curves === full.curves ? full : { ...full, curves },
    fresh: cache.isFresh('report'),
    curvesOmitted: full.curves.length - curves.length,
  }
}

/** The study at a glance (counts, best, baseline, gain, last activity) for a cached study: always current. */
export function digestOf(cache: StudyCache): StudyDigest {
  return cache.derived('digest', () => digestStudy(cache.info, cache.trials(), cache.version))
}

function capCurves(curves: readonly Curve[]): readonly Curve[] {
  if (curves.length <= MAX_CURVES) return curves
  const marked = curves.filter((c) => c.best || c.baseline)
  const recent = curves.filter((c) => !c.best && !c.baseline).slice(-(MAX_CURVES - marked.length))
  return [...marked, ...recent].sort((a, b) => a.number - b.number)
}
