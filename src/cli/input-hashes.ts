/**
 * SHA-256 of the files and folders a study file lists under `record:` (training data, configs), for the
 * reproducibility record: stored with the study by `winnow tune`, shown by the report, and compared when the study
 * continues, so a changed dataset is noticed instead of silently mixing results.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { type StudyConfig, studyFileError } from '../config/index.ts'

/** `{data: {"data/train.jsonl": "sha256:…"}, config: {…}}`, keyed by the path as written in the study file. */
export type InputHashes = Record<'data' | 'config', Record<string, string>>

/**
 * Hashes every listed input. A folder hashes to the SHA-256 of its sorted `relative path NUL file hash` lines, so
 * renaming, adding or changing any file inside changes it.
 * @throws ConfigError locating each missing path in the study file, before anything is written.
 */
export async function hashRecordedInputs(config: StudyConfig): Promise<InputHashes | undefined> {
  if (config.record === undefined) return undefined
  const dir = dirname(config.file)
  const out: InputHashes = { data: {}, config: {} }
  const missing: { path: (string | number)[]; message: string }[] = []
  for (const kind of ['data', 'config'] as const) {
    for (const [i, written] of config.record[kind].entries()) {
      const path = resolve(dir, written)
      if (existsSync(path)) out[kind][written] = `sha256:${await hashPath(path)}`
      else
        missing.push({
          path: ['record', kind, i],
          message: `${path} does not exist. Fix the path (relative to the study file) or remove the entry.`,
        })
    }
  }
  if (missing.length > 0) throw studyFileError(config.file, missing)
  return out
}

async function hashPath(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return hashFile(path)
  const lines: string[] = []
  for (const file of filesUnder(path)) lines.push(`${relative(path, file)}\0${await hashFile(file)}\n`)
  return createHash('sha256').update(lines.sort().join('')).digest('hex')
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : []
  })
}

function hashFile(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', fail)
      .on('end', () => ok(h.digest('hex')))
  })
}

/** The listed inputs whose hash differs between two records (added or removed entries count as changed). */
export function changedInputs(before: InputHashes | undefined, now: InputHashes | undefined): string[] {
  const flat = (h: InputHashes | undefined) =>
    new Map(Object.entries(h ?? {}).flatMap(([k, v]) => Object.entries(v).map(([p, x]) => [`${k}: ${p}`, x])))
  const a = flat(before)
  const b = flat(now)
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort()
}
