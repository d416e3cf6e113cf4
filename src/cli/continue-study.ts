import { readFileSync } from 'node:fs'
import { type StudyConfig, spaceDistributions, studyFileError } from '../config/index.ts'
import { type Distribution, describeDistribution } from '../core/distributions/distribution.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { changedInputs, type InputHashes } from './input-hashes.ts'
import type { StudyRecord } from './run-study.ts'

type Issue = { path: (string | number)[]; message: string }

/**
 * A study continued from a study file must still measure the same thing: the objectives (names and directions),
 * the constraints, and the kind of every parameter its trials already used. Otherwise the stored results and the new ones would be
 * mixed silently — a maximised accuracy ranked as a minimised loss, a float learning rate next to a categorical one.
 * Throws a located ConfigError (exit 2) naming the stored value; nothing is written before this check. `trials` are
 * the study's stored trials.
 * Ranges, steps and log scale may change (narrowing the space is how `winnow focus --continue` works), and a
 * parameter may be fixed to one categorical value.
 */
export function checkContinuation(existing: StudyInfo, trials: readonly FrozenTrial[], config: StudyConfig): void {
  const renameHint = `Use a new study name (name: ${existing.name}-2) to start afresh, or restore`
  const issues: Issue[] = []
  const stored = existing.metricNames.map((n, i) => `${existing.directions[i]} ${n}`).join(', ')
  const wanted = config.objectives.map((o) => `${o.direction} ${o.name}`).join(', ')
  if (stored !== wanted)
    issues.push({
      path: [/^metrics\s*:/m.test(readFileSync(config.file, 'utf8')) ? 'metrics' : 'metric'],
      message: `is "${wanted}", but study "${existing.name}" in this storage was created to ${stored}. The objectives of a study cannot change: its trials were measured against them. ${renameHint} the stored objective.`,
    })
  const describe = (cs: readonly unknown[]) => (cs.length === 0 ? 'none' : JSON.stringify(cs))
  // Studies stored before constraints existed have no spec: they had none. One without trials yet takes any.
  const storedSpec = Array.isArray(existing.systemAttrs.constraintSpec) ? existing.systemAttrs.constraintSpec : []
  const unset = existing.systemAttrs.constraintSpec === undefined && trials.length === 0
  if (!unset && JSON.stringify(storedSpec) !== JSON.stringify(config.constraints))
    issues.push({
      path: ['constraints'],
      message: `are ${describe(config.constraints)}, but study "${existing.name}" in this storage was created with ${describe(storedSpec)}. Each trial stores its constraint values by position, checked against those bounds, so the constraints of a study cannot change. ${renameHint} the stored constraints.`,
    })
  const used = usedDistributions(trials)
  for (const [name, d] of Object.entries(spaceDistributions(config.space))) {
    const before = used.get(name)
    if (before === undefined || before.kind === d.kind || isFixedChoice(d)) continue
    issues.push({
      path: ['space', name, 'type'],
      message: `is ${d.kind}, but the trials of study "${existing.name}" sampled ${name} as ${describeDistribution(before)}. A parameter's type cannot change within a study. ${renameHint} type: ${before.kind}.`,
    })
  }
  if (issues.length > 0) throw studyFileError(config.file, issues)
}

/**
 * The distribution each parameter was sampled from in the trials stored so far (the latest trial's, when they
 * differ). A parameter pinned to one categorical value was not sampled, so it constrains nothing: un-pinning it
 * back to its type is fine.
 */
function usedDistributions(trials: readonly FrozenTrial[]): Map<string, Distribution> {
  const out = new Map<string, Distribution>()
  for (const t of trials)
    for (const [name, d] of Object.entries(t.distributions)) if (!isFixedChoice(d)) out.set(name, d)
  return out
}

function isFixedChoice(d: Distribution): boolean {
  return d.kind === 'categorical' && d.choices.length === 1
}

/**
 * When a study continues from a study file or recorded inputs (`record:`) that changed since they were stored (a
 * narrowed space, `winnow focus --continue`, a larger budget, a new dataset), the stored record follows them, and
 * the earlier versions are kept in `earlierStudyFiles` with the trial count at which each was replaced: workers and
 * the report read the current setup, and nothing of the old one is lost. Changed inputs are also said on stderr:
 * trials before and after may not be comparable.
 */
export async function recordChangedSetup(
  storage: Storage,
  existing: StudyInfo,
  storedTrials: number,
  record: StudyRecord,
): Promise<void> {
  const old = existing.systemAttrs
  const oldInputs = old.inputHashes as InputHashes | undefined
  // Inputs never hashed before (a study made by `winnow focus`, or one that predates `record:`) are recorded now.
  const changed = oldInputs === undefined ? [] : changedInputs(oldInputs, record.inputHashes)
  if (old.studyFileSha256 === record.studyFileSha256 && changed.length === 0) {
    if (oldInputs === undefined && record.inputHashes !== undefined)
      await storage.setStudyAttrs(existing.id, 'system', { inputHashes: record.inputHashes })
    return
  }
  if (typeof old.studyFileText !== 'string') return
  // Trial numbers are dense, so the count before this run queued anything is the number of the first trial run
  // under the new setup.
  const untilTrial = storedTrials
  if (changed.length > 0)
    process.stderr.write(
      `Warning: recorded inputs of study "${existing.name}" changed since trial #${untilTrial - 1}: ${changed.join(', ')}. Trials before #${untilTrial} used the earlier contents (kept in earlierStudyFiles); compare across them with care.\n`,
    )
  const earlier = Array.isArray(old.earlierStudyFiles) ? old.earlierStudyFiles : []
  const before = {
    sha256: String(old.studyFileSha256 ?? ''),
    text: old.studyFileText,
    ...(oldInputs ? { inputHashes: oldInputs } : {}),
    untilTrial,
  }
  await storage.setStudyAttrs(existing.id, 'system', { ...record, earlierStudyFiles: [...earlier, before] })
}
