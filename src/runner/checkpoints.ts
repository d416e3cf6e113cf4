import { rm } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import type { Direction, FrozenTrial } from '../core/trial/frozen-trial.ts'

/** Which checkpoints of a trial to keep on disk. */
export interface CheckpointOptions {
  /** Root folder; each trial gets `root/trial-NNNN`. */
  readonly root: string
  /** 'last': only the latest; 'best-and-last': also the one at the best report; 'all': everything. @default 'last' */
  readonly keep?: 'last' | 'best-and-last' | 'all'
  /** Remove a trial's checkpoint folder when it is pruned. @default false */
  readonly deleteOnPrune?: boolean
}

/** One checkpoint a trial announced. */
export interface CheckpointRecord {
  readonly path: string
  readonly step?: number
  /** The objective at (or just before) the checkpoint's step, if known. */
  readonly value?: number
}

/**
 * The step an attempt of this trial starts training from: its stored checkpoint's step when it resumes from one (a
 * paused, re-queued or recovered trial; a PBT child from its donor's), else 0 — it trains from scratch. A
 * checkpoint announced without a step is taken to be at the trial's last report.
 */
export function resumeStep(t: FrozenTrial): number {
  const path = t.systemAttrs.checkpoint
  if (typeof path !== 'string') return 0
  const records = Array.isArray(t.systemAttrs.checkpoints)
    ? (t.systemAttrs.checkpoints as unknown as CheckpointRecord[])
    : []
  const own = records.findLast((r) => r.path === path && typeof r.step === 'number')
  if (own?.step !== undefined) return own.step
  const pbt = t.systemAttrs.pbt as { checkpointStep?: unknown } | undefined
  if (typeof pbt?.checkpointStep === 'number') return pbt.checkpointStep
  return t.intermediate.at(-1)?.step ?? 0
}

/** The checkpoint folder of a trial number. */
export function trialCheckpointDir(root: string, trialNumber: number): string {
  return join(root, `trial-${String(trialNumber).padStart(4, '0')}`)
}

/** Whether `path` lies inside `dir` (never delete anything outside the trial's own folder). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(dir, path))
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * Applies a retention policy after a new checkpoint: returns the records to keep and deletes the others'
 * files. Only paths inside the trial's own folder are ever deleted; a path elsewhere (a script writing to
 * its own output dir) is forgotten but left on disk.
 */
export async function retainCheckpoints(
  trialDir: string,
  records: readonly CheckpointRecord[],
  keep: 'last' | 'best-and-last' | 'all',
  direction: Direction,
): Promise<CheckpointRecord[]> {
  if (keep === 'all' || records.length <= 1) return [...records]
  const last = records[records.length - 1]
  const kept = new Set<CheckpointRecord>([last])
  if (keep === 'best-and-last') {
    let best: CheckpointRecord | undefined
    for (const r of records) {
      if (r.value === undefined || !Number.isFinite(r.value)) continue
      if (best?.value === undefined || (direction === 'minimize' ? r.value < best.value : r.value > best.value))
        best = r
    }
    if (best !== undefined) kept.add(best)
  }
  const keptPaths = new Set([...kept].map((r) => resolve(trialDir, r.path)))
  for (const r of records) {
    const abs = resolve(trialDir, r.path)
    // The same path re-announced at a later step is one checkpoint, overwritten in place.
    if (!kept.has(r) && !keptPaths.has(abs) && isInside(trialDir, r.path))
      await rm(abs, { recursive: true, force: true })
  }
  return records.filter((r) => kept.has(r))
}

/** Removes a trial's whole checkpoint folder (delete_on_prune). */
export async function removeTrialCheckpoints(trialDir: string): Promise<void> {
  await rm(trialDir, { recursive: true, force: true })
}
