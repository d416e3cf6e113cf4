// `npm run build`, also npm's `prepare` (run by `npm ci` / `npm install` in this checkout and when installing Winnow
// from git): compiles the library surface and the CLI into a fresh dist/ (bin/winnow.js runs the compiled CLI when
// it is current: it starts in about half the time of the sources through tsx). An install without dev dependencies
// (`npm ci --omit=dev`) has no TypeScript compiler: then it says so and skips, instead of failing the install; the
// CLI then runs from the sources. `node scripts/build.mjs DIR` builds into DIR instead (a test's package copy).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sourceHash } from '../bin/entry.js'

const root = join(import.meta.dirname, '..')
const tsc = join(root, 'node_modules', '.bin', 'tsc')
if (!existsSync(tsc)) {
  console.log('winnow: TypeScript is not installed (dev dependencies omitted); skipping the build (dist/).')
  process.exit(0)
}
const out = process.argv[2] ?? join(root, 'dist')
// Fresh: a module removed from src must not linger in the package.
rmSync(out, { recursive: true, force: true })
const r = spawnSync(tsc, ['-p', join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' })
if (r.status !== 0) {
  // tsc writes its output despite type errors: leave no half-built dist/ for bin/winnow.js to take as current.
  rmSync(out, { recursive: true, force: true })
  process.exit(r.status ?? 1)
}
// Files the compiled code reads beside itself (tsc copies only code).
cpSync(join(root, 'src', 'recipes', 'templates'), join(out, 'recipes', 'templates'), { recursive: true })
// Last: what bin/winnow.js checks before it runs the compiled CLI (see bin/entry.js).
writeFileSync(join(out, '.src-hash'), `${sourceHash(root)}\n`)
