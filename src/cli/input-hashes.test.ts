import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { StudyConfig } from '../config/index.ts'
import { changedInputs, hashRecordedInputs, type InputHashes } from './input-hashes.ts'

const configIn = (dir: string, data: string[], config: string[] = []) =>
  ({ file: join(dir, 'study.yaml'), record: { data, config } }) as unknown as StudyConfig

test('a folder hash covers every file by path and content; unrelated files outside do not matter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-hash-'))
  mkdirSync(join(dir, 'd', 'sub'), { recursive: true })
  writeFileSync(join(dir, 'd', 'a.txt'), 'A')
  writeFileSync(join(dir, 'd', 'sub', 'b.txt'), 'B')
  const h = async () => (await hashRecordedInputs(configIn(dir, ['d'])))!.data.d
  const first = await h()
  assert.match(first, /^sha256:[0-9a-f]{64}$/)
  writeFileSync(join(dir, 'outside.txt'), 'x')
  assert.equal(await h(), first, 'files outside the folder do not count')
  renameSync(join(dir, 'd', 'sub', 'b.txt'), join(dir, 'd', 'sub', 'c.txt'))
  const renamed = await h()
  assert.notEqual(renamed, first, 'a rename changes it')
  writeFileSync(join(dir, 'd', 'sub', 'c.txt'), 'C')
  assert.notEqual(await h(), renamed, 'a content change changes it')
  assert.equal(await hashRecordedInputs({ file: join(dir, 'study.yaml') } as unknown as StudyConfig), undefined)
})

test('changedInputs lists changed, added and removed entries, sorted', () => {
  const a: InputHashes = { data: { x: 'sha256:1', y: 'sha256:2' }, config: { c: 'sha256:3' } }
  const b: InputHashes = { data: { x: 'sha256:1', y: 'sha256:9', z: 'sha256:4' }, config: {} }
  assert.deepEqual(changedInputs(a, b), ['config: c', 'data: y', 'data: z'])
  assert.deepEqual(changedInputs(a, a), [])
  assert.deepEqual(changedInputs(undefined, { data: { x: 'sha256:1' }, config: {} }), ['data: x'])
})
