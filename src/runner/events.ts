import type { Json } from '../core/json.ts'
import type { TrialState } from '../core/trial/trial-state.ts'
import type { WireDecision } from './protocol/messages.ts'

/** Why a run stopped. */
/** Why a run ended; 'failing' = its first attempts all failed the same way (e.g. a missing model), so it gave up. */
export type StopReason = 'trials' | 'wall_time' | 'gpu_hours' | 'exhausted' | 'aborted' | 'done' | 'failing'

/** What `Runner.run` returns. */
export interface RunSummary {
  readonly study: string
  readonly stoppedBy: StopReason
  /** The common failure when `stoppedBy` is 'failing'. */
  readonly failing?: string
  /** Attempts this run started (new trials, resumes, retries). */
  readonly attempts: number
  /** Outcomes of this run's attempts. */
  readonly completed: number
  readonly pruned: number
  readonly failed: number
  readonly paused: number
  /** Attempts ended by the stop and put back in the queue (WAITING) for the next run. */
  readonly requeued: number
  /** Trials of dead workers found stale and re-queued. */
  readonly recovered: number
  /** The study's best COMPLETE trial at the end (single objective), if any. */
  readonly best?: { readonly number: number; readonly value: number }
  readonly wallSeconds: number
  /** GPU-seconds used by this run's attempts. */
  readonly gpuSeconds: number
}

/** Live progress of a run, for the CLI's renderer (`createProgress`) or any listener. */
export type RunnerEvent =
  | {
      readonly type: 'run-started'
      readonly study: string
      readonly budget: { readonly trials?: number; readonly wallTimeSeconds?: number; readonly gpuHours?: number }
      readonly concurrency: number
      /** Trials already finished in the study (a continued run). */
      readonly finishedBefore: number
      /** For a finite sampler (grid, OFAT): its queued points (re-queued ones too), and the trial budget that runs them all. */
      readonly sweep?: { readonly left: number; readonly end: number }
    }
  | {
      readonly type: 'trials-recovered'
      readonly numbers: readonly number[]
      /** Those of `numbers` that never sent a checkpoint: they start again from scratch. */
      readonly fromScratch?: readonly number[]
    }
  | {
      readonly type: 'trial-started'
      readonly number: number
      readonly params: Readonly<Record<string, Json>>
      /** Continues from a checkpoint (promoted, requeued or recovered trial). */
      readonly resumed: boolean
      readonly baseline: boolean
      readonly target?: number
      readonly gpus: readonly number[]
      readonly logFile: string
    }
  | {
      readonly type: 'trial-reported'
      readonly number: number
      readonly step: number
      readonly value?: number
      readonly metrics: Readonly<Record<string, Json>>
      readonly decision: WireDecision
    }
  | {
      readonly type: 'trial-finished'
      /** COMPLETE / PRUNED / FAIL, PAUSED (waits for promotion) or WAITING (requeued for the next run). */
      readonly number: number
      readonly state: TrialState
      readonly values?: readonly number[]
      readonly baseline: boolean
      readonly reason?: string
      readonly wallSeconds: number
      readonly gpuSeconds: number
      /** A retry was queued for this failure. */
      readonly retried?: boolean
      /** COMPLETE but infeasible (a study constraint broken): never the best. */
      readonly infeasible?: boolean
    }
  | {
      /** Trials another worker of the study completed (they count toward its best and baseline, not this run). */
      readonly type: 'finished-elsewhere'
      readonly trials: readonly {
        readonly number: number
        readonly values: readonly number[]
        readonly baseline: boolean
        readonly infeasible?: boolean
      }[]
    }
  | { readonly type: 'budget-exhausted'; readonly which: StopReason }
  | {
      readonly type: 'warning'
      readonly message: string
      /** A kind said once per run: later warnings of the same kind are dropped (one per trial would flood a study). */
      readonly once?: string
    }
  | { readonly type: 'run-finished'; readonly summary: RunSummary }
