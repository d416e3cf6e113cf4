import { createHash } from 'node:crypto'
import { constants, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { type Command, Option } from 'commander'
import { parseDocument } from 'yaml'
import { parseStudyFile, type SpaceConfig, spaceDistributions } from '../../config/index.ts'
import { type FocusResult, focusSpace } from '../../core/analysis/focus.ts'
import { IMPORTANCE_METHODS, type ImportanceMethod, paramImportance } from '../../core/analysis/importance/index.ts'
import { type Distribution, describeDistribution, type SearchSpace } from '../../core/distributions/distribution.ts'
import { UsageError } from '../../core/errors.ts'
import type { Json } from '../../core/json.ts'
import { intersectionSearchSpace } from '../../core/search-space/intersection.ts'
import type { Storage, StudyInfo } from '../../core/storage.ts'
import type { FrozenTrial } from '../../core/trial/frozen-trial.ts'
import { DEFAULT_STALE_AFTER_SECONDS } from '../../runner/options.ts'
import { requireStudy, usingStorage, withStorageOption } from '../context.ts'
import { formatNumber, formatParam, table } from '../format.ts'
import { positiveInt } from './study-commands.ts'

interface FocusFlags {
  storage: string
  keep: number
  quantile: number
  name?: string
  method: ImportanceMethod
  force?: boolean
  continue?: boolean
}

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
  const space: SearchSpace = parent ? spaceDistributions(parent.space) : intersectionSearchSpace(trials)
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
      systemAttrs: { baseline: true, fixedParams: { ...result.best.params }, focusedFromTrial: result.best.number },
    })
  }
  await storage.setStudyAttrs(info.id, 'system', { focusedInto: [...linksOf(info), newName] })
  printFocus(info, newName, result, ranked, flags, written?.path, storage.url, parent?.storage)
}

type Ranked = readonly { param: string; importance: number }[]

function focusOf(trials: readonly FrozenTrial[], space: SearchSpace, info: StudyInfo, flags: FocusFlags) {
  const direction = info.directions[0]
  const ranked = paramImportance(flags.method, trials, { direction, space })
  const result = focusSpace(space, trials, ranked, { keep: flags.keep, quantile: flags.quantile, direction })
  return { ranked, result }
}

function focusDetails(from: string, flags: FocusFlags, ranked: Ranked, result: FocusResult): Record<string, Json> {
  return {
    from,
    method: flags.method,
    keep: flags.keep,
    quantile: flags.quantile,
    bestTrial: result.best.number,
    importances: ranked.map((e) => ({ param: e.param, importance: e.importance })),
    fixed: { ...result.fixed },
    narrowed: result.narrowed.map((n) => ({ param: n.param, from: n.from, to: n.to }) as unknown as Json),
  }
}

/**
 * `winnow focus <study> --continue`: narrows the study's own study file (the one on disk, as the next `winnow tune`
 * will read it) and keeps the previous version as `<file>.before-focus-<k>.yaml`; the study continues in the
 * narrowed space, and the default sampler's GP keeps learning from every earlier trial. The focus is recorded on
 * the study in `focusedInPlace` (a list, with the trial count at which it was made).
 */
async function focusInPlace(storage: Storage, info: StudyInfo, flags: FocusFlags): Promise<void> {
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
  const narrowed = focusedStudyFile(text, config.space, info.name, note, result)
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
  return trials.filter((t) => t.state === 'RUNNING' && now - (t.heartbeatAt ?? t.startedAt ?? t.createdAt) < limit)
}

/** `<stem>.before-focus-<k>.yaml` with the first k >= 1 not taken, so no earlier version is overwritten. */
function freeBackupPath(file: string): string {
  const stem = file.replace(/\.ya?ml$/i, '')
  for (let k = 1; ; k++) {
    const path = `${stem}.before-focus-${k}.yaml`
    if (!existsSync(path)) return path
  }
}

function linksOf(info: StudyInfo): string[] {
  const v = info.systemAttrs.focusedInto
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** The study file with the given name, the focused space and the best trial as baseline; comments kept. */
export function focusedStudyFile(
  text: string,
  space: SpaceConfig,
  newName: string,
  note: string,
  r: FocusResult,
): string {
  const doc = parseDocument(text)
  doc.set('name', newName)
  for (const [param, p] of Object.entries(space)) {
    const d = r.space[param]
    const node = doc.createNode({ ...paramConfig(d), ...(p.when ? { when: p.when } : {}) }, { flow: true })
    if (Object.hasOwn(r.fixed, param)) node.comment = ' fixed (unimportant)'
    doc.setIn(['space', param], node)
  }
  const spaceNode = doc.get('space', true) as { commentBefore?: string | null } | undefined
  if (spaceNode)
    spaceNode.commentBefore = ` ${note}: ${r.narrowed.map((n) => n.param).join(', ')} narrowed around the top trials; the rest fixed at trial #${r.best.number}.`
  const baseline = Object.fromEntries(
    Object.keys(space)
      .filter((k) => Object.hasOwn(r.best.params, k))
      .map((k) => [k, r.best.params[k]]),
  )
  doc.set('baseline', doc.createNode(baseline, { flow: true }))
  return doc.toString({ lineWidth: 0 })
}

function paramConfig(d: Distribution): Record<string, Json> {
  if (d.kind === 'categorical') return { type: 'categorical', choices: [...d.choices] }
  const out: Record<string, Json> = { type: d.kind, low: d.low, high: d.high }
  if (d.log) out.log = true
  if (d.step !== undefined && !(d.kind === 'int' && d.step === 1)) out.step = d.step
  return out
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
  console.log(`Wrote ${relative(process.cwd(), path) || path}; the best configuration is queued as its baseline.`)
  console.log(`Run it: winnow tune ${relative(process.cwd(), path) || path}${storageFlag}`)
}

/** The method, the kept parameters with their old and new ranges, and the fixed ones. */
function printRanges(info: StudyInfo, r: FocusResult, ranked: Ranked, flags: FocusFlags): void {
  const imp = new Map(ranked.map((e) => [e.param, e.importance]))
  const pct = (p: string) => `${((imp.get(p) ?? 0) * 100).toFixed(1)} %`
  console.log(
    `Focus of "${info.name}" (${flags.method}; ranges from the best ${r.top.length} trials, quantile ${flags.quantile}; best #${r.best.number}: ${formatNumber(r.best.values![0])}).`,
  )
  console.log(
    table(
      ['kept', 'importance', 'from', 'to'],
      r.narrowed.map((n) => [n.param, pct(n.param), describeDistribution(n.from), describeDistribution(n.to)]),
    ),
  )
  const fixed = Object.entries(r.fixed)
  if (fixed.length > 0) console.log(`Fixed: ${fixed.map(([k, v]) => `${k}=${formatParam(v)} (${pct(k)})`).join(', ')}`)
}

function quantileFlag(v: string): number {
  const q = Number(v)
  if (!(q > 0 && q <= 1)) throw new UsageError(`--quantile must be in (0, 1], but got "${v}". Try 0.2.`)
  return q
}
