import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { type Command, Option } from 'commander'
import { parseStudyFile, spaceDistributions } from '../../config/index.ts'
import type { FocusResult } from '../../core/analysis/focus.ts'
import { IMPORTANCE_METHODS } from '../../core/analysis/importance/index.ts'
import type { SearchSpace } from '../../core/distributions/distribution.ts'
import { UsageError } from '../../core/errors.ts'
import { coveringSearchSpace } from '../../core/search-space/covering.ts'
import type { Storage, StudyInfo } from '../../core/storage.ts'
import { followUps } from '../../report/lineage.ts'
import { requireStudy, usingStorage, withStorageOption } from '../context.ts'
import { focusInPlace } from './focus-in-place.ts'
import {
  type FocusFlags,
  focusDetails,
  focusedStudyFile,
  focusOf,
  printRanges,
  type Ranked,
  sameAsBest,
} from './focus-shared.ts'
import { positiveInt } from './study-commands.ts'

/**
 * `winnow focus <study>`: creates a follow-up study over the most important parameters, narrowed to where the best
 * trials lie, with the others fixed at the best values. Links both studies through system attributes
 * (`focusedFrom` on the new study, `focusedInto` — a list — on the original, `focus` with the details) and, for a
 * study run from a study file, writes `<new-name>.yaml` beside it.
 */
export function registerFocusCommand(program: Command): void {
  withStorageOption(
    program
      .command('focus <study>')
      .description('create a follow-up study over the most important parameters, narrowed around the best trials'),
  )
    .option('-k, --keep <n>', 'parameters left free (the most important ones)', (v) => positiveInt(v, '--keep'), 3)
    .option('-q, --quantile <q>', 'share of the best trials whose values set the ranges', quantileFlag, 0.2)
    .option('--name <name>', 'name of the new study (default: <study>-focused)')
    .addOption(new Option('-m, --method <method>', 'importance method').choices(IMPORTANCE_METHODS).default('fanova'))
    .option('--force', 'overwrite an existing focused study file; with --continue, narrow even while trials run')
    .option(
      '--continue',
      "narrow this study's own study file instead (the study continues; the old file is kept beside it)",
    )
    .action(async (name: string, flags: FocusFlags) => usingStorage(flags.storage, (s) => focus(s, name, flags)))
}

async function focus(storage: Storage, name: string, flags: FocusFlags): Promise<void> {
  const info = await requireStudy(storage, name)
  if (info.directions.length !== 1)
    throw new UsageError(`Study "${name}" has ${info.directions.length} objectives; focus works on one objective.`)
  if (flags.continue) return focusInPlace(storage, info, flags)
  const newName = flags.name ?? `${name}-focused`
  if ((await storage.findStudy(newName)) !== undefined)
    throw new UsageError(`Study "${newName}" already exists in ${storage.url}. Pass --name to choose another name.`)
  const { trials } = await storage.listTrials(info.id, { states: ['COMPLETE'] })
  const fileText = info.systemAttrs.studyFileText
  const filePath = info.systemAttrs.studyFile
  const fromFile = typeof fileText === 'string' && typeof filePath === 'string'
  const parent = fromFile ? parseStudyFile(fileText, filePath) : undefined
  // The follow-up is written from the file the study ran with; edits made on disk since have not run.
  if (fromFile && existsSync(filePath) && readFileSync(filePath, 'utf8') !== fileText)
    process.stderr.write(
      `Warning: ${filePath} changed since the study last ran; the follow-up is written from the version it ran with (stored with the study). Run \`winnow tune\` on the edited file first to focus from it.\n`,
    )
  const space: SearchSpace = parent ? spaceDistributions(parent.space) : coveringSearchSpace(trials)
  const { ranked, result } = focusOf(trials, space, info, flags)

  let written: { path: string; text: string } | undefined
  if (parent && fromFile) {
    const path = join(dirname(filePath), `${newName}.yaml`)
    if (existsSync(path) && !flags.force)
      throw new UsageError(`${path} already exists. Pass --force to overwrite it, or --name for another name.`)
    const note = `Focused from study "${name}" by \`winnow focus\``
    const text = focusedStudyFile(fileText, parent.space, newName, note, result)
    parseStudyFile(text, path) // the written file must load; a ConfigError here is a bug worth reporting
    written = { path, text }
  }
  const details = focusDetails(name, flags, ranked, result)
  const record = written
    ? {
        studyFile: written.path,
        studyFileText: written.text,
        studyFileSha256: createHash('sha256').update(written.text).digest('hex'),
        command: [...parent!.command],
        sampler: parent!.sampler.type,
        ...(parent!.scheduler.resource ? { resource: { ...parent!.scheduler.resource } } : {}),
        // The follow-up keeps the parent's constraints (its study file carries them; see checkContinuation).
        constraintSpec: parent!.constraints.map((c) => ({ ...c })),
      }
    : {}
  const { study } = await storage.createStudy({
    name: newName,
    directions: info.directions,
    metricNames: info.metricNames,
    systemAttrs: { seed: Math.floor(Math.random() * 2 ** 31), ...record, focusedFrom: name, focus: details },
  })
  if (written) {
    writeFileSync(written.path, written.text)
    // The best configuration runs first, as the new study's baseline: the reference its gains are measured from.
    await storage.createTrial(study.id, {
      state: 'WAITING',
      systemAttrs: {
        baseline: true,
        fixedParams: { ...result.start },
        ...(sameAsBest(result) ? { focusedFromTrial: result.best.number } : {}),
      },
    })
  }
  // A name focused into before (and deleted since) is listed once.
  const links = [...followUps(info.systemAttrs).filter((n) => n !== newName), newName]
  await storage.setStudyAttrs(info.id, 'system', { focusedInto: links })
  printFocus(info, newName, result, ranked, flags, written?.path, storage.url, parent?.storage)
}

function printFocus(
  info: StudyInfo,
  newName: string,
  r: FocusResult,
  ranked: Ranked,
  flags: FocusFlags,
  path: string | undefined,
  url: string,
  fileStorage: string | undefined,
): void {
  console.log(`Focused study "${newName}" from "${info.name}".`)
  printRanges(info, r, ranked, flags)
  console.log(`Linked: "${info.name}".focusedInto → "${newName}"; "${newName}".focusedFrom → "${info.name}".`)
  if (path === undefined) {
    console.log(`Study "${info.name}" has no study file, so no YAML was written. The focused space:`)
    console.log(JSON.stringify(r.space, null, 2))
    return
  }
  const storageFlag = fileStorage === url ? '' : ` --storage ${url}`
  const start = sameAsBest(r)
    ? `the best configuration (#${r.best.number}) is queued as its baseline`
    : `the best trial (#${r.best.number}) with the fixed parameters at their best sweep levels is queued as its baseline`
  console.log(`Wrote ${relative(process.cwd(), path) || path}; ${start}.`)
  console.log(`Run it: winnow tune ${relative(process.cwd(), path) || path}${storageFlag}`)
}

function quantileFlag(v: string): number {
  const q = Number(v)
  if (!(q > 0 && q <= 1)) throw new UsageError(`--quantile must be in (0, 1], but got "${v}". Try 0.2.`)
  return q
}
