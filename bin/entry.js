// Which CLI module bin/winnow.js runs: the compiled one (dist/cli/main.js, written by `npm run build`, which
// `npm ci` / `npm install` run) when the sources it was built from are the sources here now — the same content
// hash (dist/.src-hash), so an edited, synced or partly deleted checkout never runs stale code; otherwise the
// TypeScript sources through tsx. Plain JavaScript: it runs before any loader.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** SHA-256 over every file under `root`/src (relative path and content, in sorted order). */
export function sourceHash(root) {
  const src = join(root, 'src')
  const files = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else files.push(path)
    }
  }
  walk(src)
  const hash = createHash('sha256')
  for (const f of files.sort())
    hash
      .update(`${relative(src, f)}\0`)
      .update(readFileSync(f))
      .update('\0')
  return hash.digest('hex')
}

/** True when `root`/dist/cli/main.js exists and was built from the sources under `root`/src as they are now. */
export function compiledIsCurrent(root) {
  const stamp = join(root, 'dist', '.src-hash')
  if (!existsSync(join(root, 'dist', 'cli', 'main.js')) || !existsSync(stamp)) return false
  if (!existsSync(join(root, 'src'))) return true
  return readFileSync(stamp, 'utf8').trim() === sourceHash(root)
}
