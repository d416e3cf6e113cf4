import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatGain } from './format.ts'

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '')

test('a zero gain prints +0.0 %, never -0.0 % (a -0 or a tiny loss that rounds to nothing)', () => {
  assert.equal(plain(formatGain(0)), '+0.0 %')
  assert.equal(plain(formatGain(-0)), '+0.0 %')
  assert.equal(plain(formatGain(-0.000001)), '+0.0 %')
  assert.equal(plain(formatGain(0.1234)), '+12.3 %')
  assert.equal(plain(formatGain(-0.05)), '-5.0 %')
  assert.equal(formatGain(undefined), '-')
})
