/**
 * `winnow focus <study> --continue`: the study goes on in a narrowed space, by rewriting its own study file.
 *
 * @module
 */
import { constants, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { parseStudyFile, spaceDistributions } from '../../config/index.ts'
import { findBaseline } from '../../core/analysis/baseline.ts'
import { UsageError } from '../../core/errors.ts'
import type { Storage, StudyInfo } from '../../core/storage.ts'
import { type FrozenTrial, lastSignOfLife } from '../../core/trial/frozen-trial.ts'
import { DEFAULT_STALE_AFTER_SECONDS } from '../../runner/options.ts'
import { type FocusFlags, focusDetails, focusedStudyFile, focusOf, printRanges, sameAsBest } from './focus-shared.ts'

/**
 * `winnow focus <study> --continue`: narrows the study's own study file (the one on disk, as the next `winnow tune`
 * will read it) and keeps the previous version as `<file>.before-focus-<k>.yaml`; the study continues in the
 * narrowed space, and the default sampler's GP keeps learning from every earlier trial. The focus is recorded on
 * the study in `focusedInPlace` (a list, with the trial count at which it was made).
 */
export async function focusInPlace(storage: Storage, info: StudyInfo, flags: FocusFlags): Promise<void> {
  if (flags.name !== undefined)
    throw new UsageError(
      '--continue narrows the same study, so it takes no --name. Drop --name, or drop --continue to create a follow-up study.',
    )
  const filePath = info.systemAttrs.studyFile
  if (typeof filePath !== 'string')
    throw new UsageError(
      `Study "${info.name}" was not run from a study file, so there is no file to narrow in place. Drop --continue to create a follow-up study, or pass the narrowed space to study.ask(space) in your code.`,
    )
  if (!existsSync(filePath))
    throw new UsageError(
      `The study file of "${info.name}" is gone: ${filePath}. Restore it, or drop --continue to create a follow-up study.`,
    )
  const text = readFileSync(filePath, 'utf8')
  const config = parseStudyFile(text, filePath)
  if (config.name !== info.name)
    throw new UsageError(
      `${filePath} now describes study "${config.name}", not "${info.name}". Restore the file, or drop --continue.`,
    )
  const { trials } = await storage.listTrials(info.id)
  const live = liveTrials(trials, Date.now())
  if (live.length > 0 && !flags.force)
    throw new UsageError(
      `Study "${info.name}" has ${live.length} running trial${live.length === 1 ? '' : 's'} (${live.map((t) => `#${t.number}`).join(', ')}): a \`winnow tune\` or \`winnow worker\` is still working on it and keeps sampling the old space until it stops, so the narrowing would not hold for its trials. Let it finish (or stop it with Ctrl-C), then run this again; pass --force to narrow the file anyway.`,
    )
  const complete = trials.filter((t) => t.state === 'COMPLETE')
  const space = spaceDistributions(config.space)
  const { ranked, result } = focusOf(complete, space, info, flags)
  const note = `Narrowed by \`winnow focus --continue\` after ${trials.length} trials`
  // The file's baseline must lie in the narrowed space for the file to load, so it becomes the best trial; it is
  // used only when a study is created, and this study keeps its first baseline trial as the reference of its gains.
  const reference = findBaseline(trials)
  const start = sameAsBest(result)
    ? `trial #${result.best.number}`
    : `trial #${result.best.number} with the fixed parameters at their best sweep levels`
  const baselineNote = `${start}, so the file loads in the narrowed space; gains stay measured against ${reference ? `baseline trial #${reference.number}` : 'the first baseline'}`
  const narrowed = focusedStudyFile(text, config.space, info.name, note, result, baselineNote)
  parseStudyFile(narrowed, filePath) // the written file must load; a ConfigError here is a bug worth reporting
  const backup = freeBackupPath(filePath)
  copyFileSync(filePath, backup, constants.COPYFILE_EXCL)
  const tmp = `${filePath}.${process.pid}.tmp`
  writeFileSync(tmp, narrowed)
  renameSync(tmp, filePath) // atomic: a crash leaves the old file or the new one, never half of each
  const earlier = Array.isArray(info.systemAttrs.focusedInPlace) ? info.systemAttrs.focusedInPlace : []
  const record = { ...focusDetails(info.name, flags, ranked, result), afterTrials: trials.length, backup }
  await storage.setStudyAttrs(info.id, 'system', { focusedInPlace: [...earlier, record] })
  printRanges(info, result, ranked, flags)
  const shown = relative(process.cwd(), filePath) || filePath
  console.log(`Narrowed ${shown} in place; the previous version is ${relative(process.cwd(), backup) || backup}.`)
  const storageFlag = config.storage === storage.url ? '' : ` --storage ${storage.url}`
  console.log(`Continue the study: winnow tune ${shown}${storageFlag} (raise budget.trials or pass --trials)`)
}

/**
 * RUNNING trials whose worker is alive: the last heartbeat (or the start) is more recent than the runner's stale
 * limit. Older ones belong to a dead worker, which the next `winnow tune` re-queues — they do not block a focus.
 */
function liveTrials(trials: readonly FrozenTrial[], now: number): FrozenTrial[] {
  const limit = DEFAULT_STALE_AFTER_SECONDS * 1000
  return trials.filter((t) => t.state === 'RUNNING' && now - lastSignOfLife(t) < limit)
}

/** `<stem>.before-focus-<k>.yaml` with the first k >= 1 not taken, so no earlier version is overwritten. */
function freeBackupPath(file: string): string {
  const stem = file.replace(/\.ya?ml$/i, '')
  for (let k = 1; ; k++) {
    const path = `${stem}.before-focus-${k}.yaml`
    if (!existsSync(path)) return path
  }
}
