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

test('the log file stops growing at its cap, with a note; later output is still parsed and kept in the tail', async () => {
  const file = join(tmp('winnow-log-'), 'trial.log')
  const lines: string[] = []
  const log = new LogCapture(file, (line) => lines.push(line), 100)
  for (let i = 0; i < 50; i++) log.write('stdout', Buffer.from(`step ${i} loss=0.5\n`))
  await log.close()
  const text = readFileSync(file, 'utf8')
  assert.ok(text.length < 400, `${text.length} characters written`)
  assert.match(text, /\[winnow\] log cut at 100 bytes: later output is still read for metrics/)
  assert.equal(lines.length, 50, 'every line parsed')
  assert.equal(log.lastLines().at(-1), 'step 49 loss=0.5')
})
