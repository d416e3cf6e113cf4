import type { Json } from '../core/json.ts'
import type { StudyInfo } from '../core/storage.ts'

/** A directory's git state: the commit, tracked files changed since it, files git does not track (not ignored). */
export interface GitState {
  readonly dir: string
  readonly commit: string
  readonly dirty: boolean
  readonly untracked: number
}

/** What `winnow tune` / `worker` records of the machine and code at the start of each run (`systemAttrs.runs`). */
export interface RunRecord {
  /** ISO time the run started. */
  readonly at: string
  readonly host: string
  readonly winnowVersion: string
  readonly node: string
  /** Trials the study had when the run started (its first trial's number). */
  readonly firstTrial: number
  readonly git?: GitState
}

/** The run records stored with a study, oldest first (malformed entries skipped). */
export function runsOf(info: StudyInfo): RunRecord[] {
  const runs = info.systemAttrs.runs
  if (!Array.isArray(runs)) return []
  return runs.filter(
    (r): r is Json & RunRecord =>
      r !== null &&
      typeof r === 'object' &&
      !Array.isArray(r) &&
      typeof r.at === 'string' &&
      typeof r.host === 'string',
  )
}

/** `abc1234… (clean)`, `(uncommitted changes; 2 untracked files)` */
export function describeGit(g: GitState): string {
  const notes = [
    ...(g.dirty ? ['uncommitted changes'] : []),
    ...(g.untracked > 0 ? [`${g.untracked} untracked file${g.untracked === 1 ? '' : 's'}`] : []),
  ]
  return `${g.commit} (${notes.length > 0 ? notes.join('; ') : 'clean'})`
}

/** One run in words: when, where, with which versions and code. */
export function describeRun(r: RunRecord): string {
  const when = r.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
  return `${when}, from trial #${r.firstTrial}, on ${r.host}: Winnow ${r.winnowVersion}, Node.js ${r.node}, ${r.git ? `git ${describeGit(r.git)}` : 'no git repository'}`
}

/** The runs a report lists: all when few, else the first and the last four (a long-lived study runs often). */
export function runsShown(runs: readonly RunRecord[]): { label: string; run: RunRecord }[] {
  const all = runs.map((run, i) => ({ label: `run ${i + 1} of ${runs.length}`, run }))
  return all.length <= 5 ? all : [all[0], ...all.slice(-4)]
}
