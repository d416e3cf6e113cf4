// `npm run build`, also npm's `prepare` (run by `npm ci` / `npm install` in this checkout and when installing Winnow
// from git): compiles the library surface into a fresh dist/. An install without dev dependencies (`npm ci
// --omit=dev`, for the CLI alone, which runs from the sources) has no TypeScript compiler: then it says so and
// skips, instead of failing the install.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const tsc = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsc')
if (!existsSync(tsc)) {
  console.log('winnow: TypeScript is not installed (dev dependencies omitted); skipping the library build (dist/).')
  process.exit(0)
}
// Fresh: a module removed from src must not linger in the package.
rmSync(join(import.meta.dirname, '..', 'dist'), { recursive: true, force: true })
const r = spawnSync(tsc, ['-p', join(import.meta.dirname, '..', 'tsconfig.build.json')], { stdio: 'inherit' })
process.exit(r.status ?? 1)
