// bin/winnow.js runs the compiled CLI only while it is current: an edited checkout must never run stale code.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
// @ts-expect-error: plain JavaScript without declarations (it runs before any TypeScript loader).
import { compiledIsCurrent } from '../bin/entry.js'

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds))

function tree(): { root: string; main: string; source: string } {
  const root = mkdtempSync(join(tmpdir(), 'winnow-entry-'))
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true })
  mkdirSync(join(root, 'src', 'core', 'deep'), { recursive: true })
  const main = join(root, 'dist', 'cli', 'main.js')
  const source = join(root, 'src', 'core', 'deep', 'a.ts')
  writeFileSync(main, '')
  writeFileSync(source, '')
  return { root, main, source }
}

test('the compiled CLI is used when no source is newer, the sources when one is (at any depth) or dist is missing', () => {
  const { root, main, source } = tree()
  utimesSync(source, at(0), at(0))
  utimesSync(main, at(10), at(10))
  assert.equal(compiledIsCurrent(root), true)
  // An installed package: npm gives every file one time.
  utimesSync(source, at(10), at(10))
  assert.equal(compiledIsCurrent(root), true)
  utimesSync(source, at(20), at(20))
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
