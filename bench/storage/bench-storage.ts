// Storage throughput: trials/s of ask + one suggestFloat + tell (trivial objective) through the real
// Study API, with 1 and 4 OS processes sharing one SQLite file (and one PostgreSQL database when one can
// be started), next to the Optuna 3.1 anchor measured on this machine.
//
//   npm run bench:storage -- [--duration 15] [--procs 1,4] [--no-postgres] [--out results.jsonl]
//
// PostgreSQL: WINNOW_BENCH_POSTGRES_URL if set, else a throw-away local server (scripts/pg-test-server.sh,
// fsync on like the anchor's server, port 55433).
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStorage } from '../../src/storage/open-storage.ts'
import { startTestPostgres, type TestPostgres } from '../../src/storage/sql/postgres-test-server.ts'
import { runAskTellWorkers, type WorkerResult } from '../../src/storage/sql/run-workers.ts'
import { benchArgs } from '../bench-args.ts'

const ANCHOR_DIR = '/work/shared/bench/anchors/optuna'
const GOAL_4_PROCS = 330

const USAGE = 'Usage: npm run bench:storage -- [--duration 15] [--procs 1,4] [--no-postgres] [--out results.jsonl]'

const args = (() => {
  try {
    return benchArgs(USAGE, {
      duration: { type: 'string', default: '15' },
      procs: { type: 'string', default: '1,4' },
      'no-postgres': { type: 'boolean', default: false },
      out: { type: 'string' },
    })
  } catch (e) {
    console.error((e as Error).message)
    process.exit(2)
  }
})()
const durationS = Number(args.duration)
const procList = args.procs.split(',').map(Number)

interface Row {
  storage: 'sqlite' | 'postgres'
  procs: number
  trials: number
  trialsPerS: number
  p50: number
  p99: number
  cpuMsPerTrial: number
  errors: number
  lastError: string | null
  inStorage: number
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

async function runConfig(storage: Row['storage'], url: string, procs: number): Promise<Row> {
  const study = `bench-${storage}-${procs}-${process.pid}-${Date.now()}`
  const results: WorkerResult[] = await runAskTellWorkers({
    url,
    study,
    procs,
    trialsPerProc: 0,
    durationMs: durationS * 1000,
  })
  const lat = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b)
  const s = await openStorage(url)
  const info = await s.findStudy(study)
  const complete = info === undefined ? 0 : (await s.listTrials(info.id, { states: ['COMPLETE'] })).trials.length
  if (info !== undefined && storage === 'postgres') await s.deleteStudy(info.id)
  await s.close()
  const trials = results.reduce((a, r) => a + r.done, 0)
  return {
    storage,
    procs,
    trials,
    trialsPerS: trials / durationS,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    cpuMsPerTrial: results.reduce((a, r) => a + r.cpuMs, 0) / Math.max(1, trials),
    errors: results.reduce((a, r) => a + r.errors, 0),
    lastError: results.find((r) => r.lastError !== null)?.lastError ?? null,
    inStorage: complete,
  }
}

function anchorRows(): Map<string, number> {
  const m = new Map<string, number>()
  const file = join(ANCHOR_DIR, 'results/storage.jsonl')
  if (!existsSync(file)) return m
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const r = JSON.parse(line) as { storage: string; procs: number; trials_per_s: number }
    m.set(`${r.storage}x${r.procs}`, r.trials_per_s)
  }
  return m
}

/** Runs Optuna's anchor script now, side by side, when Debian's python3 has optuna; else says why not. */
function liveAnchor(): { rows: Map<string, number>; note: string } {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' })
  if (probe.status !== 0)
    return {
      rows: new Map(),
      note: `Optuna not run side by side: /usr/bin/python3 -c 'import optuna' fails on this machine (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}). Using the stored anchor.`,
    }
  const dir = mkdtempSync(join(tmpdir(), 'optuna-anchor-'))
  cpSync(ANCHOR_DIR, dir, { recursive: true })
  const out = join(dir, 'storage.jsonl')
  const r = spawnSync(
    '/usr/bin/python3',
    [join(dir, 'run_storage.py'), '--duration', String(durationS), '--out', out],
    {
      encoding: 'utf8',
      timeout: 20 * 60_000,
    },
  )
  const rows = new Map<string, number>()
  if (existsSync(out))
    for (const line of readFileSync(out, 'utf8').trim().split('\n')) {
      const x = JSON.parse(line) as { storage: string; procs: number; trials_per_s: number }
      rows.set(`${x.storage}x${x.procs}`, x.trials_per_s)
    }
  rmSync(dir, { recursive: true, force: true })
  return { rows, note: `Optuna ${probe.stdout.trim()} run side by side now (exit ${r.status}).` }
}

const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-storage-'))
const rows: Row[] = []
console.log(
  `winnow storage benchmark: ask + suggestFloat + tell, ${durationS} s per config, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at start`,
)
try {
  for (const p of procList) {
    rows.push(await runConfig('sqlite', `sqlite:${join(dir, `bench-${p}.db`)}`, p))
    console.log(`  done sqlite x${p}`)
  }
  if (!args['no-postgres']) {
    let server: TestPostgres | undefined
    let url = process.env.WINNOW_BENCH_POSTGRES_URL
    try {
      if (url === undefined) {
        server = startTestPostgres({
          WINNOW_PG_DIR: '/tmp/winnow-pg-bench',
          WINNOW_PG_PORT: '55433',
          WINNOW_PG_FSYNC: 'on',
        })
        url = server.url
      }
      for (const p of procList) {
        rows.push(await runConfig('postgres', url, p))
        console.log(`  done postgres x${p}`)
      }
    } catch (e) {
      console.log(`  PostgreSQL skipped: ${(e as Error).message.split('\n')[0]}`)
    } finally {
      server?.release()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const stored = anchorRows()
const live = liveAnchor()
console.log('')
console.log(
  '| storage | procs | trials | trials/s | p50 ms | p99 ms | CPU ms/trial | errors | COMPLETE in storage | Optuna 3.1 trials/s | ratio |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  const key = `${r.storage}x${r.procs}`
  const anchor = live.rows.get(key) ?? stored.get(key)
  const ratio = anchor === undefined ? 'n/a' : `${(r.trialsPerS / anchor).toFixed(1)}x`
  console.log(
    `| ${r.storage} | ${r.procs} | ${r.trials} | ${r.trialsPerS.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuMsPerTrial.toFixed(2)} | ${r.errors} | ${r.inStorage} | ${anchor ?? 'n/a'} | ${ratio} |`,
  )
  if (r.errors > 0) console.log(`  last error: ${r.lastError}`)
  if (args.out !== undefined)
    appendFileSync(args.out, `${JSON.stringify({ kind: 'storage', ...r, optuna: anchor ?? null })}\n`)
}
console.log('')
console.log(live.note)
const sqlite4 = rows.find((r) => r.storage === 'sqlite' && r.procs === 4)
if (sqlite4 !== undefined)
  console.log(
    `Goal: >= ${GOAL_4_PROCS} trials/s with 4 processes on SQLite: ${sqlite4.trialsPerS.toFixed(1)} -> ${sqlite4.trialsPerS >= GOAL_4_PROCS ? 'MET' : 'NOT MET'}`,
  )
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (other processes on this machine share the ${cpus().length} CPUs)`,
)
