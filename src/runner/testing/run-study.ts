// A CLI-less driver for crash tests: runs one study of the node-trial fixture on a storage URL and prints
// every runner event as a JSON line. Usage:
//   node --import tsx src/runner/testing/run-study.ts <storage-url> <study> <work-dir> <trials> <concurrency> <steps> <sleep-ms>
import { join } from 'node:path'
import { RandomSampler } from '../../core/samplers/random-sampler.ts'
import { Study } from '../../core/study/study.ts'
import { openStorage } from '../../storage/open-storage.ts'
import { Runner } from '../runner.ts'
import { nodeArgv } from './harness.ts'

const [url, name, dir, trials, concurrency, steps, sleepMs] = process.argv.slice(2)
if (sleepMs === undefined) {
  process.stderr.write(
    'usage: run-study.ts <storage-url> <study> <work-dir> <trials> <concurrency> <steps> <sleep-ms>\n',
  )
  process.exit(2)
}
const storage = await openStorage(url)
const study = await Study.create({
  storage,
  name,
  metricNames: ['eval_loss'],
  seed: 3,
  loadIfExists: true,
  sampler: new RandomSampler(),
})
const abort = new AbortController()
process.once('SIGINT', () => abort.abort())
process.once('SIGTERM', () => abort.abort())
const runner = new Runner({
  study,
  suggest: (t) => {
    t.suggestFloat('lr', 0.01, 0.2)
  },
  command: () => nodeArgv('node-trial.ts', steps, sleepMs),
  concurrency: Number(concurrency),
  budget: { trials: Number(trials) },
  gracePeriodSeconds: 1,
  heartbeatSeconds: 0.2,
  staleAfterSeconds: 1,
  pollSeconds: 0.05,
  logDir: join(dir, 'logs'),
  checkpoints: { root: join(dir, 'ckpt') },
  signal: abort.signal,
  onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
})
await runner.run()
await storage.close()
