import type { CostSummary } from '../core/analysis/cost.ts'
import type { RankTransfer } from '../core/analysis/rank-transfer.ts'
import type { RungRow } from '../core/analysis/rung-occupancy.ts'
import type { ParamValues } from '../core/distributions/distribution.ts'
import type { Direction } from '../core/trial/frozen-trial.ts'
import type { TrialState } from '../core/trial/trial-state.ts'
import type { Lineage } from './lineage.ts'
import type { GitState, RunRecord } from './run-records.ts'

/**
 * Everything a report shows, gathered once from a study and its environment. Plain data (JSON-serialisable),
 * so the renderers are pure functions of it and tests can build it by hand.
 */
export interface ReportData {
  readonly study: {
    readonly name: string
    readonly directions: readonly Direction[]
    readonly metricNames: readonly string[]
    readonly createdAt: number
    readonly description?: string
  }
  /** ISO time the report was generated. */
  readonly generatedAt: string
  readonly counts: Readonly<Record<TrialState, number>>
  /** COMPLETE trials that break a constraint (counted in `counts.COMPLETE` too). */
  readonly infeasible: number
  /** Queued trials withdrawn before they ran (counted in `counts.PRUNED` too). */
  readonly withdrawn: number
  readonly setup: {
    readonly studyFile?: string
    readonly studyFileText?: string
    /** Sampler / scheduler description stored by `winnow tune`. */
    readonly strategies?: string
    readonly resource?: ReportResource
    /** `winnow focus` links and narrowings, and the study files it ran under before its current one. */
    readonly lineage?: Lineage
  }
  readonly space: readonly SpaceRow[]
  readonly baseline?: TrialBrief
  /** What to know before trusting the gain over the baseline (see `baselineCaveat`). */
  readonly baselineCaveat?: string
  /** Best trial (single objective) or the Pareto front (several). */
  readonly best: readonly TrialBrief[]
  /** Why `best` is empty: nothing completed, or nothing met the constraints (see `noBestReason`). */
  readonly noBest?: string
  /** Baseline vs best, one row per recorded metric (objectives first). */
  readonly comparison: readonly MetricRow[]
  readonly history: readonly HistoryPoint[]
  /** Multi-objective studies: the trade-off between the objectives. */
  readonly pareto?: ParetoData
  readonly curves: readonly Curve[]
  readonly importance: ImportanceResult
  /** Single-objective studies with two or more complete trials: parameters and objective side by side. */
  readonly parallel?: ParallelData
  readonly sensitivity: Sensitivity
  readonly rankTransfer?: RankTransferData
  /** The rung view of a multi-fidelity study (single objective): who reached each level and where others stopped. */
  readonly rungs?: readonly RungRow[]
  readonly cost?: CostData
  readonly repro: Reproducibility
}

/** The resource a multi-fidelity scheduler budgets, and its rungs. */
export interface ReportResource {
  readonly kind: string
  readonly min?: number
  readonly max?: number
  /** Rung resources, lowest first (full fidelity excluded). */
  readonly rungs: readonly number[]
}

/** One row of the search-space table. */
export interface SpaceRow {
  readonly name: string
  readonly kind: string
  /** E.g. `[1e-4, 0.03] log`, or the choices. */
  readonly range: string
  readonly baseline?: string
  readonly best?: string
}

/** A trial as the report shows it. */
export interface TrialBrief {
  readonly number: number
  readonly state: TrialState
  readonly values: readonly number[] | null
  readonly params: ParamValues
  /** Last reported metrics (objectives and others such as accuracy). */
  readonly metrics: Readonly<Record<string, number>>
}

/** Baseline vs best for one metric. `gain` is direction-aware (objectives); `change` is best − baseline (others). */
export interface MetricRow {
  readonly metric: string
  readonly objective: boolean
  readonly direction?: Direction
  readonly baseline?: number
  readonly best?: number
  readonly gain?: number
  readonly change?: number
}

/** Every feasible COMPLETE trial in objective space, its Pareto front and the front's hypervolume. */
export interface ParetoData {
  readonly objectives: readonly { readonly name: string; readonly direction: Direction }[]
  readonly points: readonly { readonly number: number; readonly values: readonly number[]; readonly front: boolean }[]
  /** The hypervolume's reference point: the worst value seen per objective, a tenth of its range further. */
  readonly reference: readonly number[]
  readonly hypervolume: number
  /** COMPLETE trials left out because they broke a constraint (never on the front). */
  readonly infeasible: number
}

/** One axis of the parallel-coordinates chart. */
export type ParallelAxis =
  | {
      readonly name: string
      readonly kind: 'numeric'
      readonly low: number
      readonly high: number
      readonly log: boolean
    }
  | { readonly name: string; readonly kind: 'categorical'; readonly choices: readonly string[] }

/** Parameters and objective side by side: one line per COMPLETE trial (best first), positions in [0, 1]. */
export interface ParallelData {
  /** The parameter axes, then the objective's. */
  readonly axes: readonly ParallelAxis[]
  /** Parameters left out (the least important beyond the axis limit). */
  readonly omitted: number
  readonly direction: Direction
  readonly lines: readonly {
    readonly number: number
    readonly value: number
    /** `best`, the rest of the top tenth (`top`), or the others. */
    readonly group: 'best' | 'top' | 'rest'
    readonly baseline: boolean
    /** Per axis, where the trial's value sits (0 = bottom, 1 = top); null when the trial lacks the parameter. */
    readonly positions: readonly (number | null)[]
  }[]
}

/** One trial on the optimization history. */
export interface HistoryPoint {
  readonly number: number
  readonly state: TrialState
  /** The final value (COMPLETE) or the last intermediate value (PRUNED / others). */
  readonly value?: number
  readonly baseline: boolean
  readonly best: boolean
  readonly params: ParamValues
  readonly reason?: string
  /** A COMPLETE trial that broke a constraint: shown, but never the best so far. */
  readonly infeasible?: boolean
}

/** The intermediate values of one trial. */
export interface Curve {
  readonly number: number
  readonly state: TrialState
  readonly best: boolean
  readonly baseline: boolean
  readonly points: readonly (readonly [step: number, value: number])[]
}

/** Parameter importance, or why there is none. */
export interface ImportanceResult {
  readonly method?: string
  readonly entries: readonly { readonly param: string; readonly importance: number }[]
  /** Shown instead of (or under) the chart, e.g. why importance is unavailable. */
  readonly note?: string
}

/** Value against each parameter (slice plots), in importance order when importance is known. */
export interface Sensitivity {
  readonly kind: 'ofat' | 'slice'
  readonly note?: string
  readonly params: readonly SliceParam[]
}

/** The trials' values against one parameter. */
export interface SliceParam {
  readonly name: string
  readonly log: boolean
  /** Set for categorical parameters: x values are indices into it. */
  readonly categories?: readonly string[]
  readonly points: readonly {
    readonly x: number
    readonly y: number
    readonly number: number
    readonly state: TrialState
    readonly best: boolean
    readonly baseline: boolean
  }[]
  readonly baselineX?: number
}

/** Low- vs high-fidelity values of the trials seen at both, and the verdict. */
export interface RankTransferData {
  readonly kind: string
  readonly low: number
  readonly high: number
  readonly result: RankTransfer
  readonly pairs: readonly { readonly number: number; readonly low: number; readonly high: number }[]
  /** The same check between each rung and the next (and the last rung and full fidelity). */
  readonly ladder: readonly { readonly low: number; readonly high: number; readonly result: RankTransfer }[]
}

/** Compute used vs running every trial to full fidelity. */
export interface CostData extends CostSummary {
  readonly unit: string
  readonly fullResource: number
}

/** What is needed to reproduce or audit the study. */
export interface Reproducibility {
  readonly command?: readonly string[]
  /** What each `winnow tune` / `worker` run recorded when it started: its host, versions and git state. */
  readonly runs?: readonly RunRecord[]
  /** The git state of the study file's directory when the report was made. */
  readonly git?: GitState
  readonly gitNote?: string
  readonly winnowVersion: string
  readonly seeds: readonly { readonly label: string; readonly value: string }[]
  readonly host: {
    readonly hostname: string
    readonly cpu: string
    readonly cpus: number
    readonly node: string
    readonly platform: string
  }
  readonly hashes: readonly { readonly label: string; readonly value: string }[]
}
