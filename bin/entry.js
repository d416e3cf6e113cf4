// Which CLI module bin/winnow.js runs: the compiled one (dist/cli/main.js, written by `npm run build`, which
// `npm ci` / `npm install` run) when it exists and no source under src/ is newer than it — an installed package
// (npm gives every file of a package one time) or a checkout built since its last edit; otherwise the TypeScript
// sources through tsx, so an edited checkout never runs stale code. Plain JavaScript: it runs before any loader.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** True when `root`/dist/cli/main.js exists and is at least as new as every file under `root`/src. */
export function compiledIsCurrent(root) {
  const compiled = join(root, 'dist', 'cli', 'main.js')
  if (!existsSync(compiled)) return false
  const builtAt = statSync(compiled).mtimeMs
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const path = join(dir, e.name)
      return e.isDirectory() ? newer(path) : statSync(path).mtimeMs > builtAt
    })
  return !existsSync(join(root, 'src')) || !newer(join(root, 'src'))
}
