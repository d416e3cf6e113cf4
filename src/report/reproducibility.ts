import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { cpus, hostname, platform, release } from 'node:os'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import type { Json } from '../core/json.ts'
import type { StudyInfo } from '../core/storage.ts'
import type { Reproducibility } from './report-data.ts'
import { type GitState, type RunRecord, runsOf } from './run-records.ts'

const run = promisify(execFile)

/**
 * The git state of a directory (`HEAD`, uncommitted changes to tracked files, untracked files: a study file or
 * training script never committed is not in the commit either); undefined outside a repository.
 */
export async function gitState(dir: string): Promise<GitState | undefined> {
  try {
    // execFile, never a shell: the directory comes from the study record.
    const opts = { cwd: dir, timeout: 10_000, windowsHide: true }
    const head = await run('git', ['rev-parse', 'HEAD'], opts)
    const status = await run('git', ['status', '--porcelain', '--untracked-files=normal'], opts)
    const lines = status.stdout.split('\n').filter((l) => l.trim() !== '')
    const untracked = lines.filter((l) => l.startsWith('??')).length
    return { dir, commit: head.stdout.trim(), dirty: lines.length > untracked, untracked }
  } catch {
    return undefined
  }
}

/** The run record of this process, for a study whose study file lies in `dir` (undefined: no study file). */
export async function runRecord(dir: string | undefined, firstTrial: number): Promise<RunRecord> {
  const git = dir === undefined ? undefined : await gitState(dir)
  return {
    at: new Date().toISOString(),
    host: hostname(),
    winnowVersion: winnowVersion(),
    node: process.version,
    firstTrial,
    ...(git ? { git } : {}),
  }
}

/** Winnow's version from its package.json. */
export function winnowVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * The reproducibility record of a study: the trial command, the git commit of the study file's directory, the
 * Winnow version, the seeds, this host, and the hashes of the study file, of the inputs it lists under `record:`
 * (`inputHashes`, stored by `winnow tune`), and of any `data_hashes` / `config_hashes` user attributes.
 */
export async function reproducibilityOf(info: StudyInfo): Promise<Reproducibility> {
  const attrs = info.systemAttrs
  const file = typeof attrs.studyFile === 'string' ? attrs.studyFile : undefined
  const dir = file === undefined ? undefined : dirname(file)
  let git: Reproducibility['git']
  let gitNote: string | undefined
  if (dir === undefined) gitNote = 'No study file is recorded with this study, so there is no git commit to show.'
  else if (!existsSync(dir) || !statSync(dir).isDirectory())
    gitNote = `The study file's directory ${dir} does not exist on this machine, so its git commit is unknown.`
  else {
    git = await gitState(dir)
    if (git === undefined) gitNote = `The study file's directory ${dir} is not inside a git repository.`
  }
  const cpu = cpus()
  const seeds: { label: string; value: string }[] = []
  if (attrs.seed !== undefined) seeds.push({ label: 'study seed', value: JSON.stringify(attrs.seed) })
  for (const [k, v] of Object.entries(info.userAttrs))
    if (/seed/i.test(k)) seeds.push({ label: `user attribute ${k}`, value: JSON.stringify(v) })
  const hashes: { label: string; value: string }[] = []
  if (typeof attrs.studyFileSha256 === 'string')
    hashes.push({ label: `study file SHA-256${file ? ` (${file})` : ''}`, value: attrs.studyFileSha256 })
  const inputs = attrs.inputHashes
  if (inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs))
    for (const [kind, files] of Object.entries(inputs))
      if (files !== null && typeof files === 'object' && !Array.isArray(files))
        for (const [path, h] of Object.entries(files)) hashes.push({ label: `${kind} ${path}`, value: String(h) })
  for (const key of ['data_hashes', 'config_hashes']) hashes.push(...flattenHashes(key, info.userAttrs[key]))
  const runs = runsOf(info)
  return {
    ...(Array.isArray(attrs.command) ? { command: attrs.command.map(String) } : {}),
    ...(runs.length > 0 ? { runs } : {}),
    ...(git ? { git } : {}),
    ...(gitNote ? { gitNote } : {}),
    winnowVersion: winnowVersion(),
    seeds,
    host: {
      hostname: hostname(),
      cpu: cpu.length > 0 ? `${cpu[0].model.trim()}` : 'unknown',
      cpus: cpu.length,
      node: process.version,
      platform: `${platform()} ${release()}`,
    },
    hashes,
  }
}

/** `{train: "sha256:…"}` → one row per entry; a plain string → one row. */
function flattenHashes(key: string, v: Json | undefined): { label: string; value: string }[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'object' && !Array.isArray(v))
    return Object.entries(v).map(([k, h]) => ({
      label: `${key}.${k}`,
      value: typeof h === 'string' ? h : JSON.stringify(h),
    }))
  return [{ label: key, value: typeof v === 'string' ? v : JSON.stringify(v) }]
}
