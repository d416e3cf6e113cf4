/** The runner's public surface: what the CLI composes. */

export { type CheckpointOptions, trialCheckpointDir } from './checkpoints.ts'
export type { EarlyStoppingOptions } from './early-stopping.ts'
export type { RunnerEvent, RunSummary, StopReason } from './events.ts'
export type { Executor, ExitInfo, LaunchSpec, RunHandle } from './executor/executor.ts'
export { LocalExecutor } from './executor/local-executor.ts'
export { cudaVisibleDevices, detectGpus, type GpuDevice, type GpuLease, type GpuOptions, GpuPool } from './gpus.ts'
export { isContinuation } from './next-trial.ts'
export type { Budget, CommandContext, MetricsSource, RunnerOptions } from './options.ts'
export { createProgress, type Progress, type ProgressOptions } from './progress.ts'
export { ProtocolEndpoint } from './protocol/endpoint.ts'
export { Runner } from './runner.ts'
export { PYTHON_CLIENT_DIR } from './trial-env.ts'
