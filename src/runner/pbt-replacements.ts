/**
 * PBT's lineage bookkeeping: which trial replaced an exploited one at a boundary, read back from the study (so a
 * restarted worker finds what it made), and which replacement stands when two workers made one for the same parent.
 *
 * @module
 */
import { hostname } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import type { Json } from '../core/json.ts'
import type { Study } from '../core/study/study.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { isAlive } from './recovery.ts'

/** The new trial that replaces an exploited one. */
export interface Replacement {
  /** Number of the new trial (WAITING, resumes from its copy of the donor's checkpoint). */
  readonly child: number
  /** Number of the trial whose checkpoint was copied. */
  readonly donor: number
  /** The interval boundary of the exploit. */
  readonly step: number
  /** Why the exploited trial ended, for its `pruneReason` and the trial process. */
  readonly reason: string
}

/** The replacement of trial #`child`, copied from trial #`donor` at `step`. */
export function replacement(child: number, donor: number, step: number): Replacement {
  return {
    child,
    donor,
    step,
    reason: `PBT: replaced by a copy of trial #${donor} at step ${step}, with perturbed parameters, as trial #${child}`,
  }
}

/**
 * The replacement already made for trial #`parent` at `step`, if any: a trial whose lineage names them, that was
 * released to the queue (its checkpoint is set) and did not fail.
 */
export function replacementOf(trials: readonly FrozenTrial[], parent: number, step: number): Replacement | undefined {
  for (const t of trials) {
    const donor = donorIfChildOf(t, parent, step)
    if (donor !== undefined && t.state !== 'FAIL' && typeof t.systemAttrs.checkpoint === 'string')
      return replacement(t.number, donor, step)
  }
  return undefined
}

/** The donor's number when `t` is a replacement made for trial #`parent` at `step`. */
function donorIfChildOf(t: FrozenTrial, parent: number, step: number): number | undefined {
  const lineage = t.systemAttrs.pbt
  if (lineage === null || typeof lineage !== 'object' || Array.isArray(lineage)) return undefined
  const pbt = lineage as { readonly [key: string]: Json }
  return pbt.parent === parent && pbt.step === step && typeof pbt.donor === 'number' ? pbt.donor : undefined
}

/**
 * The first (lowest-numbered) replacement of trial #`parent` at `step` that may still stand: released (its
 * checkpoint is set) or being set up (RUNNING) by a worker not known to be dead. Why: two workers can run one
 * parent at once (a trial re-queued as stale while its worker was only slow) and both reach the boundary. Each
 * creates its child before it looks, and numbers grow with creation, so the one that looks last sees both: every
 * worker keeps the lowest-numbered child and the others withdraw theirs. A child whose maker died before handing
 * it over (re-queued WAITING without a checkpoint, or RUNNING under a dead process here) is no contender.
 */
function firstReplacement(trials: readonly FrozenTrial[], parent: number, step: number): FrozenTrial | undefined {
  let first: FrozenTrial | undefined
  for (const t of trials)
    if (
      donorIfChildOf(t, parent, step) !== undefined &&
      mayStand(t) &&
      (first === undefined || t.number < first.number)
    )
      first = t
  return first
}

function mayStand(t: FrozenTrial): boolean {
  if (t.state === 'FAIL') return false
  if (typeof t.systemAttrs.checkpoint === 'string') return true
  if (t.state !== 'RUNNING') return false
  const w = t.systemAttrs.worker as { host?: unknown; pid?: unknown } | undefined
  return !(w?.host === hostname() && typeof w.pid === 'number' && !isAlive(w.pid))
}

/** How long a worker that made a later child waits for an earlier one still being set up to be released. */
const RIVAL_WAIT_MS = 5000

/**
 * The earlier replacement this worker's child #`own` must yield to, once it is released; undefined when `own` is
 * first (or the earlier one failed while we waited). Waiting for the release means a rival whose setup fails does
 * not leave the parent replaced by nothing.
 */
export async function earlierReplacement(
  study: Study,
  parent: number,
  step: number,
  own: number,
): Promise<Replacement | undefined> {
  const until = Date.now() + RIVAL_WAIT_MS
  for (;;) {
    const first = firstReplacement(await study.trials(), parent, step)
    if (first === undefined || first.number >= own) return undefined
    if (typeof first.systemAttrs.checkpoint === 'string' || Date.now() >= until)
      return replacement(first.number, donorIfChildOf(first, parent, step)!, step)
    await delay(100)
  }
}
