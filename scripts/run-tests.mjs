// Finds every *.test.ts under src/, bench/, examples/, clients/ and test/ and runs them with node:test.
// Node 20's --test has no glob support, so the list is built here. Extra args are passed through
// (e.g. `npm run test:unit -- src/core` runs only the tests under that folder).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'bench', 'examples', 'clients', 'test']
const files = []
function walk(dir) {
  let entries
  try {
    entries = readdirSync(dir)
  } catch {
    return
  }
  for (const name of entries) {
    if (name === 'node_modules') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (name.endsWith('.test.ts')) files.push(path)
  }
}
for (const root of roots) {
  if (root.endsWith('.test.ts')) files.push(root)
  else walk(root)
}
files.sort()
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
