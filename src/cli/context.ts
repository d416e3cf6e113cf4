import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { StudyNotFoundError, UsageError } from '../core/errors.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import { quoteArg } from '../report/format.ts'
import { openStorage, parseStorageUrl } from '../storage/open-storage.ts'

/** The default storage when `--storage` is not given: a SQLite file in the working directory. */
export const DEFAULT_STORAGE = 'sqlite:winnow.db'

/**
 * The arguments that name a study to another command (`winnow trials <these> --state fail --logs`) so that it finds
 * the study from the working directory: the study file it came from, whose storage is read as `tune` reads it, else
 * its name; `--storage` follows when the storage is not the one those imply (the name alone finds only the default
 * `winnow.db` — "No Winnow storage at …/winnow.db" otherwise).
 */
export function studyArgs(o: { name: string; file?: string; storage: string; storageGiven?: boolean }): string {
  const withStorage = (a: string) => `${a} --storage ${quoteArg(o.storage)}`
  if (o.file !== undefined) return o.storageGiven ? withStorage(quoteArg(o.file)) : quoteArg(o.file)
  const same = JSON.stringify(parseStorageUrl(o.storage)) === JSON.stringify(parseStorageUrl(DEFAULT_STORAGE))
  return same ? quoteArg(o.name) : withStorage(quoteArg(o.name))
}

/** Adds the shared `--storage <url>` option to a command. */
export function withStorageOption(cmd: Command): Command {
  return cmd.option('-s, --storage <url>', 'sqlite:path.db | postgres://user@host/db | memory:', DEFAULT_STORAGE)
}

/**
 * Opens an existing storage, runs `fn`, and always closes it. For commands that read or change studies already
 * there: a mistyped SQLite path is an error, not a new empty database left behind (`winnow tune` creates storage).
 */
export async function usingStorage<T>(url: string, fn: (storage: Storage) => Promise<T>): Promise<T> {
  requireExistingStorage(url)
  const storage = await openStorage(url)
  try {
    return await fn(storage)
  } finally {
    await storage.close()
  }
}

/** Throws a usage error when `url` names a SQLite file that does not exist (opening it would create it empty). */
export function requireExistingStorage(url: string): void {
  const loc = parseStorageUrl(url)
  if (loc.kind === 'sqlite' && loc.path !== ':memory:' && !existsSync(loc.path))
    throw new UsageError(
      `No Winnow storage at ${loc.path} (from --storage ${url}): the file does not exist. Check the path; a study file's storage is created by \`winnow tune\`.`,
    )
}

/** Finds a study by name or fails with a message listing what the storage holds. */
export async function requireStudy(storage: Storage, name: string): Promise<StudyInfo> {
  const info = await storage.findStudy(name)
  if (info !== undefined) return info
  const names = (await storage.listStudies()).map((s) => s.name)
  throw new StudyNotFoundError(name, storage.url, names)
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
}

/**
 * Runs a write to a path the user named with `flag` (`-o`, `--out`); a file-system refusal becomes a usage error
 * that names the flag, the path and why (exit 2), not an "unexpected error" to report.
 */
export async function writingTo<T>(flag: string, path: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const reason = code === undefined ? undefined : FS_REASONS[code]
    if (reason === undefined) throw e
    throw new UsageError(`Cannot write ${flag} ${path}: ${reason} (${code}). Choose another path.`, { cause: e })
  }
}
