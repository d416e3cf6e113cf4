import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tmp } from '../testing/harness.ts'
import { LOG_TAIL_LINES, LogCapture, TAIL_LINE_CHARS } from './log-capture.ts'

test('the stored tail keeps the last lines, each cut to a bounded length; the log file keeps everything', async () => {
  const file = join(tmp('winnow-log-'), 'trial.log')
  const lines: string[] = []
  const log = new LogCapture(file, (line) => lines.push(line))
  const long = 'x'.repeat(3 * TAIL_LINE_CHARS)
  log.write('stdout', Buffer.from(`${long}\n`))
  for (let i = 0; i < LOG_TAIL_LINES - 2; i++) log.write('stderr', Buffer.from(`line ${i}\n`))
  log.write('stdout', Buffer.from('10%\r50%\r100%\n'))
  await log.close()
  const tail = log.lastLines()
  assert.equal(tail.length, LOG_TAIL_LINES)
  assert.equal(tail[0], `${'x'.repeat(TAIL_LINE_CHARS)} … (${2 * TAIL_LINE_CHARS} more characters in the log file)`)
  assert.equal(tail[tail.length - 1], '100%', 'a progress bar keeps its last state')
  assert.equal(lines[0], long, 'parsing sees the whole line')
  assert.ok(readFileSync(file, 'utf8').startsWith(`${long}\n`))
})
