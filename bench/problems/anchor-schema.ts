/** Typed records of the anchor result files (shared/bench/anchors/optuna/results/README.md). */

/** Versions recorded with every anchor result line. */
export interface AnchorEnv {
  python?: string
  machine?: string
  cpus?: number
  optuna?: string
  numpy?: string
  hyperopt?: string | null
}

/** samplers.jsonl, `kind: "sampler_run"`: one (problem, sampler, seed, budget) run. */
export interface SamplerRunRecord {
  kind: 'sampler_run'
  anchor: 'optuna' | 'hyperopt'
  problem: string
  sampler: string
  seed: number
  budget: number
  batch: number
  fstar: number
  final_best_observed: number
  final_best_clean: number
  final_regret: number
  /** Best observed after trial k (k = 1..budget); null for noiseless problems. */
  best_observed: number[] | null
  /** Clean value of the incumbent after trial k, 7 significant digits. */
  best_clean: number[]
  /** Optimizer time for trial k, ms (objective excluded). */
  sample_ms: number[]
  tell_ms_median: number | null
  sampler_total_s: number
  wall_s: number
  env: AnchorEnv
}

/** samplers.jsonl, `kind: "sampler_error"`: a crashed run. */
export interface SamplerErrorRecord {
  kind: 'sampler_error'
  problem: string
  sampler: string
  seed: number
  budget: number
  error: string
}

/** pruners.jsonl: one (pruner, seed) run of TPE on lora-sft-curves with a step budget. */
export interface PrunerRunRecord {
  kind: 'pruner_run'
  anchor: 'optuna'
  problem: 'lora-sft-curves'
  sampler: string
  pruner: string
  pruner_args: string
  seed: number
  budget_steps: number
  steps_consumed: number
  fstar: number
  n_trials: number
  n_complete: number
  n_pruned: number
  n_abandoned: number
  final_best_observed: number
  final_best_clean: number
  final_regret: number
  /** `[steps_consumed, best_observed, best_clean]` after each trial ends; nulls before the first completion. */
  trajectory: [number, number | null, number | null][]
  sample_s: number
  should_prune_s: number
  wall_s: number
  env: AnchorEnv
}

/** overhead.jsonl: optimizer time per trial (ask + 10 suggestions) with n finished trials. */
export interface OverheadRecord {
  kind: 'overhead'
  method: 'prefilled' | 'sequential'
  sampler: string
  n: number
  reps?: number
  repeat_medians_ms?: number[]
  sequential_total_s?: number
  median_ms: number
  mean_ms: number
  p90_ms: number
  samples_ms: number[]
  space: string
  storage: string
  env: AnchorEnv
}

/** storage.jsonl: ask + suggest_float + tell throughput, or a skipped configuration. */
export type StorageRecord =
  | {
      kind: 'storage'
      storage: 'inmemory' | 'sqlite' | 'journal' | 'postgres'
      procs: number
      duration_s: number
      trials: number
      trials_per_s: number
      per_proc: number[]
      errors: number
      last_error: string | null
      complete_in_storage: number
      server?: string
      env: AnchorEnv
    }
  | { kind: 'storage_skipped'; storage: string; reason: string }
