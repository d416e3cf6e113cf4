import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { StudyNotFoundError, UsageError } from '../core/errors.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import { openStorage, parseStorageUrl } from '../storage/open-storage.ts'

/** The default storage when `--storage` is not given: a SQLite file in the working directory. */
export const DEFAULT_STORAGE = 'sqlite:winnow.db'

/** Adds the shared `--storage <url>` option to a command. */
export function withStorageOption(cmd: Command): Command {
  return cmd.option('-s, --storage <url>', 'sqlite:path.db | postgres://user@host/db | memory:', DEFAULT_STORAGE)
}

/**
 * Opens an existing storage, runs `fn`, and always closes it. For commands that read or change studies already
 * there: a mistyped SQLite path is an error, not a new empty database left behind (`winnow tune` creates storage).
 */
export async function usingStorage<T>(url: string, fn: (storage: Storage) => Promise<T>): Promise<T> {
  const loc = parseStorageUrl(url)
  if (loc.kind === 'sqlite' && loc.path !== ':memory:' && !existsSync(loc.path))
    throw new UsageError(
      `No Winnow storage at ${loc.path} (from --storage ${url}): the file does not exist. Check the path; a study file's storage is created by \`winnow tune\`.`,
    )
  const storage = await openStorage(url)
  try {
    return await fn(storage)
  } finally {
    await storage.close()
  }
}

/** Finds a study by name or fails with a message listing what the storage holds. */
export async function requireStudy(storage: Storage, name: string): Promise<StudyInfo> {
  const info = await storage.findStudy(name)
  if (info !== undefined) return info
  const names = (await storage.listStudies()).map((s) => s.name)
  throw new StudyNotFoundError(name, storage.url, names)
}
