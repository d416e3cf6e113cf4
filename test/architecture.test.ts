// Holds the layering of ARCHITECTURE.md: the core is pure (no Node APIs, no I/O, no drivers, no upper
// layers), storage does not know the runner or CLI, and samplers/schedulers take randomness only from the Rng.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'

const root = join(import.meta.dirname, '..')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(root, dir))) {
    const p = join(dir, name)
    if (statSync(join(root, p)).isDirectory()) out.push(...sources(p))
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1])
}

function resolveInRepo(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(root, join(root, file, '..', spec)) : spec
}

test('src/core imports no Node API, database driver, or upper layer', () => {
  const offenders: string[] = []
  for (const f of sources('src/core')) {
    for (const spec of imports(f)) {
      const target = resolveInRepo(f, spec)
      const bad =
        spec.startsWith('node:') ||
        ['better-sqlite3', 'pg', 'kysely', 'hono', 'commander', 'yaml', 'zod'].includes(spec) ||
        (spec.startsWith('.') && !target.startsWith('src/core/'))
      if (bad) offenders.push(`${f} imports ${spec}`)
    }
  }
  assert.deepEqual(offenders, [])
})

test('storage does not import the runner, CLI, server or report', () => {
  const offenders = sources('src/storage').flatMap((f) =>
    imports(f)
      .map((s) => resolveInRepo(f, s))
      .filter((t) => /^src\/(runner|cli|server|report)\//.test(t))
      .map((t) => `${f} imports ${t}`),
  )
  assert.deepEqual(offenders, [])
})

test('the server reads through core, storage and report only; nothing below it imports the server', () => {
  const offenders = sources('src/server').flatMap((f) =>
    imports(f)
      .map((s) => resolveInRepo(f, s))
      .filter((t) => /^src\/(runner|cli|config)\//.test(t))
      .map((t) => `${f} imports ${t}`),
  )
  for (const layer of ['src/core', 'src/storage', 'src/report', 'src/runner'])
    for (const f of sources(layer))
      for (const t of imports(f).map((s) => resolveInRepo(f, s)))
        if (t.startsWith('src/server/')) offenders.push(`${f} imports ${t}`)
  assert.deepEqual(offenders, [])
})

test('samplers and schedulers never call Math.random or read the clock', () => {
  const offenders = [...sources('src/core/samplers'), ...sources('src/core/schedulers')].filter((f) =>
    /Math\.random\(|Date\.now\(|performance\.now\(/.test(withoutComments(readFileSync(join(root, f), 'utf8'))),
  )
  assert.deepEqual(offenders, [])
})

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
}
