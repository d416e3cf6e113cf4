import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { isAbsolute } from 'node:path'

/** The end of a trial's log file, or why it cannot be shown. */
export type LogTail =
  | { readonly ok: true; readonly path: string; readonly lines: readonly string[]; readonly truncated: boolean }
  | { readonly ok: false; readonly path: string; readonly reason: string }

/** Most bytes read from the end of a log: enough for a few hundred long lines, bounded for huge logs. */
const MAX_BYTES = 256 * 1024

const NOT_REGULAR = 'not a regular file (a symlink or folder is not followed)'

/**
 * Reads the last `maxLines` lines of the log file a trial recorded. Only that path is read, and only when it
 * is an absolute path to a regular `*.log` file (not a symlink): the path comes from the storage, and a
 * dashboard must not become a way to read arbitrary files of the machine it runs on. The checks are made on
 * the opened file itself (opened without following a symlink, and without waiting on a FIFO), so a file
 * swapped between a check and the read cannot slip through. At most the last 256 KiB are read, so a huge log
 * costs nothing.
 */
export async function readLogTail(path: string, maxLines = 200): Promise<LogTail> {
  if (!isAbsolute(path) || !path.endsWith('.log'))
    return { ok: false, path, reason: 'not an absolute path to a .log file, so the dashboard does not read it' }
  let fh: FileHandle | undefined
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    const st = await fh.stat()
    if (!st.isFile()) return { ok: false, path, reason: NOT_REGULAR }
    const start = Math.max(0, st.size - MAX_BYTES)
    const buf = Buffer.alloc(st.size - start)
    const { bytesRead } = await fh.read(buf, 0, buf.length, start)
    let lines = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)
    // Reading from the middle of the file: the first line is partial.
    if (start > 0) lines = lines.slice(1)
    if (lines.at(-1) === '') lines.pop()
    const truncated = start > 0 || lines.length > maxLines
    return { ok: true, path, lines: lines.slice(-maxLines), truncated }
  } catch (e) {
    const code = (e as { code?: string }).code
    const reason =
      code === 'ENOENT' ? 'the file no longer exists' : code === 'ELOOP' ? NOT_REGULAR : `cannot read it (${code ?? e})`
    return { ok: false, path, reason }
  } finally {
    await fh?.close()
  }
}
