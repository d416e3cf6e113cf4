import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { UsageError } from '../core/errors.ts'
import { MemoryStorage } from './memory/memory-storage.ts'
import { openStorage, parseStorageUrl } from './open-storage.ts'

describe('parseStorageUrl', () => {
  test('accepts memory, sqlite paths (relative to cwd) and postgres URLs', () => {
    assert.deepEqual(parseStorageUrl('memory:'), { kind: 'memory' })
    assert.deepEqual(parseStorageUrl('sqlite:runs/w.db', '/home/me'), { kind: 'sqlite', path: '/home/me/runs/w.db' })
    assert.deepEqual(parseStorageUrl('sqlite:/abs/w.db', '/home/me'), { kind: 'sqlite', path: '/abs/w.db' })
    assert.deepEqual(parseStorageUrl('sqlite::memory:'), { kind: 'sqlite', path: ':memory:' })
    // SQLAlchemy / Optuna spelling, which Optuna users will type.
    assert.deepEqual(parseStorageUrl('sqlite:///w.db', '/home/me'), { kind: 'sqlite', path: '/home/me/w.db' })
    assert.deepEqual(parseStorageUrl('sqlite:////abs/w.db', '/home/me'), { kind: 'sqlite', path: '/abs/w.db' })
    assert.deepEqual(parseStorageUrl('postgres://u@h:5432/db'), { kind: 'postgres', url: 'postgres://u@h:5432/db' })
    assert.deepEqual(parseStorageUrl('postgresql://u@h/db'), { kind: 'postgres', url: 'postgresql://u@h/db' })
  })

  test('a bad URL is a UsageError that lists the accepted forms', () => {
    for (const bad of ['', 'sqlite:', 'mysql://u@h/db', 'winnow.db', 'postgres://', 'sqlite://host/x.db']) {
      assert.throws(
        () => parseStorageUrl(bad),
        (e: unknown) => {
          assert.ok(e instanceof UsageError, `${bad}: ${e}`)
          assert.match(e.message, new RegExp(`"${bad.replace(/[/.:]/g, '\\$&')}"`))
          assert.match(e.message, /memory:/)
          assert.match(e.message, /sqlite:path/)
          assert.match(e.message, /postgres:\/\//)
          return true
        },
      )
    }
  })
})

describe('openStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-open-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('memory: gives a MemoryStorage; sqlite creates the file and its folder', async () => {
    assert.ok((await openStorage('memory:')) instanceof MemoryStorage)
    const s = await openStorage(`sqlite:${join(dir, 'sub', 'a.db')}`)
    assert.equal(s.url, `sqlite:${join(dir, 'sub', 'a.db')}`)
    const { study } = await s.createStudy({ name: 'x', directions: ['minimize'] })
    await s.close()
    await s.close() // idempotent
    const again = await openStorage(`sqlite:${join(dir, 'sub', 'a.db')}`)
    assert.equal((await again.findStudy('x'))?.id, study.id)
    await again.close()
  })

  test('readOnly: reads a current database, refuses every write, and creates or upgrades nothing', async () => {
    const path = join(dir, 'ro.db')
    const w = await openStorage(`sqlite:${path}`)
    await w.createStudy({ name: 'seen', directions: ['minimize'] })
    const ro = await openStorage(`sqlite:${path}`, { readOnly: true })
    assert.equal((await ro.findStudy('seen'))?.name, 'seen')
    await assert.rejects(ro.createStudy({ name: 'new', directions: ['minimize'] }), /readonly/i)
    // The writer still writes while the reader is open, and the reader sees it.
    await w.createStudy({ name: 'later', directions: ['minimize'] })
    assert.ok((await ro.findStudy('later')) !== undefined)
    await ro.close()
    await w.close()
    await assert.rejects(openStorage(`sqlite:${join(dir, 'missing', 'x.db')}`, { readOnly: true }), /Cannot open/)
    assert.equal(existsSync(join(dir, 'missing')), false, 'no folder created')
    const empty = join(dir, 'empty.db')
    const { default: Database } = await import('better-sqlite3')
    new Database(empty).close()
    await assert.rejects(openStorage(`sqlite:${empty}`, { readOnly: true }), /holds no Winnow studies/)
  })

  test('opening SQLite loads better-sqlite3 but not pg', () => {
    const code = `
      const { openStorage } = await import(${JSON.stringify(new URL('./open-storage.ts', import.meta.url).href)})
      const s = await openStorage('sqlite::memory:')
      await s.close()
      const { createRequire } = await import('node:module')
      const loaded = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify({ pg: loaded.some((k) => k.includes('/node_modules/pg/')),
        sqlite: loaded.some((k) => k.includes('/node_modules/better-sqlite3/')) }))`
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { pg: false, sqlite: true })
  })
})
