import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** What one `ask-tell-worker.ts` process reports. */
export interface WorkerResult {
  readonly pid: number
  readonly done: number
  readonly errors: number
  readonly lastError: string | null
  /** CPU time of the process (all threads) during the loop. */
  readonly cpuMs: number
  readonly latenciesMs: number[]
}

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'ask-tell-worker.ts')

/**
 * Runs `procs` ask/tell worker OS processes against one storage URL and study, started together
 * (they wait for a common start time after loading), and returns each one's report. Rejects with the
 * worker's stderr when one exits abnormally.
 */
export async function runAskTellWorkers(opts: {
  url: string
  study: string
  procs: number
  trialsPerProc: number
  durationMs?: number
}): Promise<WorkerResult[]> {
  // Node + tsx take about a second to load per process on a busy 2-core machine; start together after that.
  const startAt = Date.now() + 2500 + 500 * opts.procs
  const one = () =>
    new Promise<WorkerResult>((resolve, reject) => {
      const args = [opts.url, opts.study, String(opts.trialsPerProc), String(opts.durationMs ?? 0), String(startAt)]
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => {
        out += d
      })
      child.stderr.on('data', (d) => {
        err += d
      })
      child.on('error', reject)
      child.on('close', (code) => {
        const line = out.trim().split('\n').pop() ?? ''
        if (code !== 0 || line === '') reject(new Error(`worker exited ${code}: ${err.trim() || out.trim()}`))
        else resolve(JSON.parse(line) as WorkerResult)
      })
    })
  return Promise.all(Array.from({ length: opts.procs }, one))
}
