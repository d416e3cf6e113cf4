// A worker process for the storage concurrency test and the storage benchmark: opens a storage URL,
// joins (or creates) a study through the real Study API and runs ask + suggestFloat + tell in a loop.
//
//   node --import tsx src/storage/sql/ask-tell-worker.ts <url> <study> <trials> [durationMs] [startAtEpochMs]
//
// Runs until `trials` trials are told (0 = no limit) or `durationMs` passes, then prints one JSON line:
// { pid, done, errors, lastError, cpuMs, latenciesMs }: latenciesMs holds one ask+tell round per trial,
// cpuMs the process's CPU time (all threads) spent in the loop.
// Errors are counted and the loop goes on, so a test can assert that none happened.
import { performance } from 'node:perf_hooks'
import { RandomSampler } from '../../core/samplers/random-sampler.ts'
import { Study } from '../../core/study/study.ts'
import { openStorage } from '../open-storage.ts'

const [url, name, trialsArg, durationArg, startArg] = process.argv.slice(2)
if (url === undefined || name === undefined || trialsArg === undefined) {
  console.error('usage: ask-tell-worker.ts <url> <study> <trials> [durationMs] [startAtEpochMs]')
  process.exit(2)
}
const trials = Number(trialsArg)
const durationMs =
  durationArg === undefined ? Number.POSITIVE_INFINITY : Number(durationArg) || Number.POSITIVE_INFINITY
const storage = await openStorage(url)
// Random sampling: this worker measures storage throughput, not a model's fitting time.
const study = await Study.create({ storage, name, loadIfExists: true, seed: process.pid, sampler: new RandomSampler() })
const startAt = Number(startArg ?? 0)
if (startAt > Date.now()) await new Promise((r) => setTimeout(r, startAt - Date.now()))

const latenciesMs: number[] = []
let errors = 0
let lastError: string | null = null
const end = performance.now() + durationMs
const cpu0 = process.cpuUsage()
while ((trials === 0 || latenciesMs.length < trials) && performance.now() < end) {
  const t0 = performance.now()
  try {
    const trial = await study.ask()
    const x = trial.suggestFloat('x', -10, 10)
    await study.tell(trial, x * x)
    latenciesMs.push(performance.now() - t0)
  } catch (e) {
    errors++
    lastError = String(e).slice(0, 300)
    if (errors > 100) break
  }
}
const cpu = process.cpuUsage(cpu0)
await storage.close()
process.stdout.write(
  `${JSON.stringify({ pid: process.pid, done: latenciesMs.length, errors, lastError, cpuMs: (cpu.user + cpu.system) / 1000, latenciesMs: latenciesMs.map((l) => Math.round(l * 1000) / 1000) })}\n`,
)
