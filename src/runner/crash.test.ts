import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { openStorage } from '../storage/open-storage.ts'
import type { RunnerEvent } from './events.ts'
import { isLive, TSX, tmp } from './testing/harness.ts'

const DRIVER = fileURLToPath(new URL('./testing/run-study.ts', import.meta.url))
const STEPS = 16

/** Runs the driver; `killWhen` sees every event and returns true to SIGKILL the runner at that point. */
function drive(
  url: string,
  dir: string,
  killWhen?: (e: RunnerEvent) => boolean,
): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(process.execPath, ['--import', TSX, DRIVER, url, 'crash', dir, '4', '2', String(STEPS), '60'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (killWhen?.(JSON.parse(line) as RunnerEvent)) child.kill('SIGKILL')
  })
  return new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))
}

async function readTrials(url: string): Promise<FrozenTrial[]> {
  const s = await openStorage(url)
  try {
    const info = await s.findStudy('crash')
    return info === undefined ? [] : [...(await s.listTrials(info.id)).trials]
  } finally {
    await s.close()
  }
}

test('kill -9 of the runner mid-study, then run again: the study completes, interrupted trials resume from their checkpoints', async () => {
  const dir = tmp('winnow-crash-')
  const url = `sqlite:${join(dir, 'study.db')}`
  const finishedNumbers = new Set<number>()
  const lastStep = new Map<number, number>()
  const first = await drive(url, dir, (e) => {
    if (e.type === 'trial-finished') finishedNumbers.add(e.number)
    if (e.type === 'trial-reported') lastStep.set(e.number, e.step)
    // Two trials done, the next two (running concurrently) a few steps in: crash now.
    return (
      finishedNumbers.size === 2 && [...lastStep].filter(([n, s]) => !finishedNumbers.has(n) && s >= 3).length === 2
    )
  })
  assert.equal(first.signal, 'SIGKILL')

  const before = await readTrials(url)
  const done = before.filter((t) => t.state === 'COMPLETE')
  const interrupted = before.filter((t) => t.state === 'RUNNING')
  assert.equal(done.length, 2)
  assert.equal(interrupted.length, 2)
  // Orphaned trials find the runner gone (their report gets `pause`) and exit by themselves.
  const orphanPids = interrupted.map(
    (t) => JSON.parse(readFileSync(t.systemAttrs.checkpoint as string, 'utf8')).pid as number,
  )
  for (let i = 0; i < 300 && orphanPids.some(isLive); i++) await new Promise((r) => setTimeout(r, 100))
  assert.deepEqual(orphanPids.filter(isLive), [])
  const stepsBefore = new Map(interrupted.map((t) => [t.number, t.intermediate[t.intermediate.length - 1].step]))

  const second = await drive(url, dir)
  assert.equal(second.code, 0)
  const after = await readTrials(url)
  assert.deepEqual(
    after.map((t) => [t.number, t.state]),
    [0, 1, 2, 3].map((n) => [n, 'COMPLETE']),
  )
  for (const t of done) {
    const again = after.find((a) => a.id === t.id)!
    assert.deepEqual(again.values, t.values, 'a completed trial changed')
    assert.equal(again.finishedAt, t.finishedAt)
  }
  for (const t of interrupted) {
    const again = after.find((a) => a.id === t.id)!
    assert.equal(again.number, t.number)
    assert.deepEqual(again.params, t.params)
    const state = JSON.parse(readFileSync(again.systemAttrs.checkpoint as string, 'utf8')) as { history: number[] }
    // One counter from 1 to STEPS across both runs: resumed, not restarted.
    assert.deepEqual(
      state.history,
      Array.from({ length: STEPS }, (_, i) => i + 1),
    )
    const steps = again.intermediate.map((iv) => iv.step)
    assert.ok(steps.includes(1) && steps.includes(STEPS))
    assert.ok(steps.some((s) => s > (stepsBefore.get(t.number) ?? 0)))
  }
  assert.ok(existsSync(join(dir, 'logs', 'trial-0003.log')))
})
