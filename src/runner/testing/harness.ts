import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RandomSampler } from '../../core/samplers/random-sampler.ts'
import type { Scheduler } from '../../core/schedulers/scheduler.ts'
import type { Storage } from '../../core/storage.ts'
import { Study } from '../../core/study/study.ts'
import { MemoryStorage } from '../../storage/memory/memory-storage.ts'
import type { RunnerEvent } from '../events.ts'
import type { RunnerOptions } from '../options.ts'
import { Runner } from '../runner.ts'

/** Test fixtures folder. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
/** tsx's loader as a URL, so node trials work from any cwd. */
export const TSX = import.meta.resolve('tsx')
export const PYTHON = '/usr/bin/python3'

/** A fresh temporary folder. */
export function tmp(prefix = 'winnow-runner-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** argv of a TypeScript fixture run by this node. */
export function nodeArgv(script: string, ...args: string[]): string[] {
  return [process.execPath, '--import', TSX, join(FIXTURES, script), ...args]
}

/** A study on memory storage minimizing eval_loss. */
export async function makeStudy(
  opts: { scheduler?: Scheduler; storage?: Storage; name?: string } = {},
): Promise<Study> {
  return Study.create({
    storage: opts.storage ?? new MemoryStorage(),
    name: opts.name ?? 'test',
    metricNames: ['eval_loss'],
    seed: 1,
    // Runner tests are about processes and states, not search: random sampling keeps them fast and simple.
    sampler: new RandomSampler(),
    scheduler: opts.scheduler,
    loadIfExists: true,
  })
}

/** A runner with fast test defaults (1 s grace, quick polls, temp log and checkpoint dirs). */
export function testRunner(
  study: Study,
  o: Partial<RunnerOptions> & Pick<RunnerOptions, 'command'>,
): { runner: Runner; events: RunnerEvent[]; dir: string } {
  const dir = tmp()
  const events: RunnerEvent[] = []
  const runner = new Runner({
    study,
    suggest: (t) => {
      t.suggestFloat('lr', 0.01, 0.2)
    },
    gracePeriodSeconds: 1,
    pollSeconds: 0.05,
    heartbeatSeconds: 0.5,
    staleAfterSeconds: 5,
    logDir: join(dir, 'logs'),
    checkpoints: { root: join(dir, 'ckpt') },
    budget: { trials: 1 },
    onEvent: (e) => events.push(e),
    ...o,
  })
  return { runner, events, dir }
}

/** Live (non-zombie) processes of a process group, from `ps` (kill(pid, 0) would count zombies too). */
export function liveGroupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' })
  const pids: number[] = []
  for (const line of out.split('\n')) {
    const [pid, g, stat] = line.trim().split(/\s+/)
    if (Number(g) === pgid && stat !== undefined && !stat.startsWith('Z')) pids.push(Number(pid))
  }
  return pids
}

/** Whether a pid is alive and not a zombie. */
export function isLive(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim()
    return stat !== '' && !stat.startsWith('Z')
  } catch {
    return false
  }
}

/**
 * Another Winnow process on this host holding GPU shares in the lease folder `dir` for `ms`, then exiting: a real
 * second process, since a process never counts its own leases as held elsewhere. Resolves once it holds them.
 */
export async function holdGpusElsewhere(
  dir: string,
  shares: readonly { key: string; fraction: number }[],
  ms: number,
): Promise<ChildProcess> {
  const module = new URL('../host-gpu-leases.ts', import.meta.url).href
  const other = spawn(
    process.execPath,
    [
      '--import',
      TSX,
      '-e',
      `import { HostGpuLeases } from ${JSON.stringify(module)}
new HostGpuLeases(${JSON.stringify(dir)}).claim(() => ${JSON.stringify(shares)})
console.log('held'); setTimeout(() => {}, ${ms})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await once(other.stdout!, 'data')
  return other
}
