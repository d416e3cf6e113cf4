import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorLine } from './error-line.ts'

test("a crashed trial's reason is the line that names the error, not the runtime's banner or a stack frame", () => {
  const node = [
    '/tmp/train.js:3',
    "    throw new Error('CUDA out of patience')",
    '    ^',
    '',
    'Error: CUDA out of patience',
    '    at Object.<anonymous> (/tmp/train.js:3:11)',
    '    at node:internal/main/run_main_module:28:49',
    '',
    'Node.js v20.20.2',
  ]
  assert.equal(errorLine(node), 'Error: CUDA out of patience')
  const python = [
    'Traceback (most recent call last):',
    '  File "train.py", line 9, in <module>',
    "    raise ValueError('bad lr')",
    'ValueError: bad lr',
  ]
  assert.equal(errorLine(python), 'ValueError: bad lr')
  assert.equal(errorLine(['step 10 loss 2.1', 'killed by the data loader']), 'killed by the data loader')
  assert.equal(errorLine(['    at f (x.js:1:1)']), '    at f (x.js:1:1)')
  assert.equal(errorLine(['', '  ']), undefined)
})
