// bin/winnow.js runs the compiled CLI only while it was built from the sources as they are: an edited, synced or
// partly deleted checkout must never run stale code.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
// @ts-expect-error: plain JavaScript without declarations (it runs before any TypeScript loader).
import { compiledIsCurrent, sourceHash } from '../bin/entry.js'

function tree(): { root: string; source: string } {
  const root = mkdtempSync(join(tmpdir(), 'winnow-entry-'))
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true })
  mkdirSync(join(root, 'src', 'core', 'deep'), { recursive: true })
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), '')
  const source = join(root, 'src', 'core', 'deep', 'a.ts')
  writeFileSync(source, 'export const a = 1\n')
  writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2\n')
  writeFileSync(join(root, 'dist', '.src-hash'), sourceHash(root))
  return { root, source }
}

test('the compiled CLI is used while its sources are unchanged, the sources once one changes or goes', () => {
  const { root, source } = tree()
  assert.equal(compiledIsCurrent(root), true)
  // Times do not matter (rsync -a, cp -p, npm's fixed package times): content does.
  utimesSync(source, new Date(0), new Date(0))
  assert.equal(compiledIsCurrent(root), true)
  writeFileSync(source, 'export const a = 2\n')
  assert.equal(compiledIsCurrent(root), false)
  writeFileSync(source, 'export const a = 1\n')
  assert.equal(compiledIsCurrent(root), true)
  rmSync(join(root, 'src', 'b.ts'))
  assert.equal(compiledIsCurrent(root), false, 'a deleted source')
})

test('no stamp (a build that failed or predates it) or no compiled CLI: the sources run', () => {
  const { root } = tree()
  rmSync(join(root, 'dist', '.src-hash'))
  assert.equal(compiledIsCurrent(root), false)
  assert.equal(compiledIsCurrent(mkdtempSync(join(tmpdir(), 'winnow-entry-'))), false)
})

test('winnow --version prints the package version and exits 0', () => {
  const bin = new URL('../bin/winnow.js', import.meta.url).pathname
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim(), pkg.version)
})
