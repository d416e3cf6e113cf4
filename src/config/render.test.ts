import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SearchSpace } from '../core/distributions/distribution.ts'
import { ConfigError } from './config-error.ts'
import { renderArgv, renderFloat, renderInt, renderValue } from './render.ts'
import { parseTemplate, TemplateSyntaxError } from './template.ts'

const space: SearchSpace = {
  lr: { kind: 'float', low: 1e-6, high: 1, log: true },
  dropout: { kind: 'float', low: 0, high: 0.5, log: false },
  batch: { kind: 'int', low: 1, high: 512, log: false, step: 1 },
  rank: { kind: 'categorical', choices: [8, 16, 32] },
  ratio: { kind: 'categorical', choices: [0.5, 1.0, 2.0] },
  bf16: { kind: 'categorical', choices: [true, false] },
  sched: { kind: 'categorical', choices: ['cosine', 'linear', null] },
  momentum: { kind: 'float', low: 0, high: 1, log: false },
}

describe('renderValue', () => {
  test('floats always read back as floats', () => {
    assert.equal(renderFloat(0), '0.0')
    assert.equal(renderFloat(-0), '0.0')
    assert.equal(renderFloat(128), '128.0')
    assert.equal(renderFloat(0.0003), '0.0003')
    assert.equal(renderFloat(3e-7), '3e-7')
    assert.equal(renderFloat(1e21), '1e+21')
    assert.equal(renderFloat(0.1 + 0.2), '0.30000000000000004')
    for (const x of [0, 1, 2e-5, 3e-4, 0.123456789, 1e-12, 12345678.5])
      assert.equal(Number.parseFloat(renderFloat(x)), x, 'round trip')
  })
  test('ints never get a fraction or an exponent', () => {
    assert.equal(renderInt(128), '128')
    assert.equal(renderInt(-3), '-3')
    assert.equal(renderInt(1e21), '1000000000000000000000')
    assert.equal(renderValue(128, space.batch), '128')
  })
  test('the distribution decides between 0 and 0.0', () => {
    assert.equal(renderValue(0, space.dropout), '0.0')
    assert.equal(renderValue(0, space.batch), '0')
  })
  test('numeric categorical choices render as ints, or as floats when any choice has a fraction', () => {
    assert.equal(renderValue(16, space.rank), '16')
    assert.equal(renderValue(1, space.ratio), '1.0')
    assert.equal(renderValue(0.5, space.ratio), '0.5')
  })
  test('booleans, null and strings', () => {
    assert.equal(renderValue(true, space.bf16), 'true')
    assert.equal(renderValue(false, space.bf16), 'false')
    assert.equal(renderValue(null, space.sched), '')
    assert.equal(renderValue('cosine', space.sched), 'cosine')
  })
})

describe('renderArgv', () => {
  test('replaces placeholders inside each argument', () => {
    const argv = renderArgv(
      ['python', 'train.py', '--lr={lr}', '--batch', '{batch}', '--tag={rank}x{ratio}', '{bf16}'],
      { lr: 3e-4, batch: 64, rank: 16, ratio: 2, bf16: true },
      space,
    )
    assert.deepEqual(argv, ['python', 'train.py', '--lr=0.0003', '--batch', '64', '--tag=16x2.0', 'true'])
  })
  test('{{ and }} are literal braces', () => {
    assert.deepEqual(renderArgv(['-c', 'print({{"lr": {lr}}})'], { lr: 0.5 }, space), ['-c', 'print({"lr": 0.5})'])
  })
  test('an inactive conditional parameter renders as the empty string', () => {
    assert.deepEqual(renderArgv(['--momentum={momentum}', '{momentum}'], {}, space), ['--momentum=', ''])
  })
  test('built-in placeholders come from the runner', () => {
    assert.deepEqual(
      renderArgv(['--out={checkpoint_dir}/t{trial_number}'], {}, space, { checkpoint_dir: '/ck', trial_number: '7' }),
      ['--out=/ck/t7'],
    )
  })
  test('an unknown placeholder is a ConfigError', () => {
    assert.throws(
      () => renderArgv(['{nope}'], {}, space),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError)
        assert.match(e.message, /command\[0\]: uses \{nope\}/)
        return true
      },
    )
  })
  test('a lone brace is a ConfigError naming the argument', () => {
    assert.throws(
      () => renderArgv(['ok', 'print({lr)'], { lr: 1 }, space),
      /command\[1\]: "print\(\{lr\)" has "\{" not followed/,
    )
  })
  test('shell syntax is passed through untouched: there is no shell', () => {
    const argv = ['python', '$(touch pwned)', '; rm -rf x', '`id`', '"quoted" $HOME | cat', '--lr={lr} && echo']
    assert.deepEqual(renderArgv(argv, { lr: 0.1 }, space), [
      'python',
      '$(touch pwned)',
      '; rm -rf x',
      '`id`',
      '"quoted" $HOME | cat',
      '--lr=0.1 && echo',
    ])
  })
  test('a parameter value with shell characters stays one argument', () => {
    assert.deepEqual(
      renderArgv(
        ['--sched={sched}'],
        { sched: 'a b; rm -rf /' },
        { sched: { kind: 'categorical', choices: ['a b; rm -rf /'] } },
      ),
      ['--sched=a b; rm -rf /'],
    )
  })
})

describe('parseTemplate', () => {
  test('splits text and names', () => {
    assert.deepEqual(parseTemplate('--lr={lr}/x'), [{ text: '--lr=' }, { name: 'lr' }, { text: '/x' }])
    assert.deepEqual(parseTemplate(''), [{ text: '' }])
    assert.deepEqual(parseTemplate('{{}}'), [{ text: '{}' }])
  })
  test('rejects lone and unclosed braces', () => {
    for (const bad of ['{', '}', '{lr', 'a}b', '{ lr }', '{}', '{1x}'])
      assert.throws(() => parseTemplate(bad), TemplateSyntaxError, bad)
  })
})
