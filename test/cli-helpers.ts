// Helpers for tests that drive the real `winnow` command as a subprocess.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const REPO = join(import.meta.dirname, '..')
export const BIN = join(REPO, 'bin/winnow.js')
export const NODE_TRIAL = join(REPO, 'src/runner/testing/fixtures/node-trial.ts')

/** Runs `winnow …` to completion. */
export function winnow(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** `winnow …` running in the background, with its stdout collected. */
export interface BackgroundWinnow {
  readonly child: ChildProcess
  /** Everything it printed on stdout so far. */
  output(): string
  /** Resolves once `ready(output)` holds, or after `timeoutMs` (the test's next assertion then fails clearly). */
  until(ready: (out: string) => boolean, timeoutMs?: number): Promise<void>
  /** Resolves with its exit code. */
  exited(): Promise<number | null>
}

/** Starts `winnow …` in the background. */
export function winnowAsync(args: readonly string[], cwd: string): BackgroundWinnow {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  const exit = new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
  return {
    child,
    output: () => out,
    async until(ready, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      while (!ready(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    },
    exited: () => exit,
  }
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'winnow-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Writes a study file whose trials run the node test fixture (`steps`, `sleepMs` per step). */
export function writeNodeStudy(
  dir: string,
  o: { name: string; trials: number; concurrency: number; steps: number; sleepMs: number; extra?: string },
): string {
  const file = join(dir, 'study.yaml')
  writeFileSync(
    file,
    `name: ${o.name}
metric: {name: eval_loss, direction: minimize}
command: [node, --import, tsx, ${JSON.stringify(NODE_TRIAL)}, "${o.steps}", "${o.sleepMs}"]
cwd: ${JSON.stringify(REPO)}
space:
  lr: {type: float, low: 0.01, high: 0.3}
baseline: {lr: 0.2}
sampler: {type: random, seed: 3}
budget: {trials: ${o.trials}}
resources: {concurrency: ${o.concurrency}, gpus: none}
${o.extra ?? ''}
`,
  )
  return file
}

/**
 * Writes a study file whose trial is `node -e <script> <x>` (x a float in [0, high], baseline 0.5): for tests of
 * how Winnow treats what a script prints or how it exits. `fields` are more study-file lines (budget, metrics_from…);
 * `metric` replaces the default `metric: {name: loss}` line.
 */
export function writeScriptStudy(
  dir: string,
  o: { name: string; script: string; fields: string; metric?: string; high?: number },
): string {
  const file = join(dir, 'study.yaml')
  writeFileSync(
    file,
    `name: ${o.name}
${o.metric ?? 'metric: {name: loss}'}
command: [node, -e, ${JSON.stringify(o.script)}, "{x}"]
space: {x: {type: float, low: 0, high: ${o.high ?? 1}}}
baseline: {x: 0.5}
${o.fields}
`,
  )
  return file
}
