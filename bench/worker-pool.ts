/**
 * Runs benchmark tasks in `jobs` forked worker processes (one task at a time each), so runs use several cores.
 * A worker module answers `{ ready: true }` once, then one `{ ok: true, rec }` or `{ ok: false, error }` per task
 * it is sent (see bench/samplers/worker.ts, bench/schedulers/worker.ts).
 */
import { type ChildProcess, fork } from 'node:child_process'

interface WorkerMessage<R> {
  ready?: boolean
  ok?: boolean
  rec?: R
  error?: string
}

/** Runs every task in a pool of `jobs` workers started from `workerUrl`; results come back in task order. */
export async function runInWorkers<T, R>(
  workerUrl: URL,
  tasks: readonly T[],
  jobs: number,
  onResult: (rec: R, done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(tasks.length)
  let next = 0
  let done = 0
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child: ChildProcess = fork(workerUrl, [], { execArgv: ['--import', 'tsx'] })
      let current = -1
      const feed = () => {
        if (next >= tasks.length) {
          child.kill()
          resolve()
          return
        }
        current = next++
        child.send(tasks[current] as object)
      }
      child.on('message', (m: WorkerMessage<R>) => {
        if (m.ready) return feed()
        if (!m.ok) {
          child.kill()
          reject(new Error(`Run ${JSON.stringify(tasks[current])} failed:\n${m.error}`))
          return
        }
        results[current] = m.rec!
        onResult(m.rec!, ++done)
        feed()
      })
      child.on('error', reject)
    })
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, start))
  return results
}
