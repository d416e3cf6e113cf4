// Winnow as another project's dependency: the built package (dist/, `npm run build`) must run under plain Node (no
// tsx) and type-check under a strict tsconfig that does not allow importing .ts files — what a user's project has.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { REPO } from './cli-helpers.ts'

const TSC = join(REPO, 'node_modules/.bin/tsc')
let project: string

/**
 * A user's project with Winnow installed in node_modules/winnow, built from the current sources: package.json, dist/,
 * bin/ and the clients, without src/ (so the CLI can only run compiled).
 */
before(() => {
  project = mkdtempSync(join(tmpdir(), 'winnow-consumer-'))
  const pkg = join(project, 'node_modules/winnow')
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(REPO, 'package.json'), join(pkg, 'package.json'))
  symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'))
  for (const dir of ['bin', 'clients']) cpSync(join(REPO, dir), join(pkg, dir), { recursive: true })
  const build = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs'), join(pkg, 'dist')], {
    encoding: 'utf8',
  })
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }))
})

after(() => rmSync(project, { recursive: true, force: true }))

/** Runs a script of the user's project with plain `node` (no loader). */
function runNode(file: string, source: string) {
  writeFileSync(join(project, file), source)
  return spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })
}

test("the README's library example runs with plain node from another project", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const shown = /## Library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  assert.ok(shown?.includes("from 'winnow'"), 'the README shows a library example importing winnow')
  const r = runNode('example.mjs', shown ?? '')
  assert.equal(r.status, 0, r.stderr)
  const value = Number(/best x = .*, value = (\S+)/.exec(r.stdout)?.[1])
  assert.ok(value < 0.1, `50 trials get within 0.1 of the minimum 0 of (x − 2)², got ${r.stdout}`)
})

test('a SQLite study written by the built package is read back by a second process', () => {
  const db = join(project, 'studies.db')
  const write = runNode(
    'write.mjs',
    `import { openStorage, Study, TpeSampler } from 'winnow'
const storage = await openStorage('sqlite:${db}')
const study = await Study.create({ storage, name: 'lib', seed: 3, sampler: new TpeSampler() })
await study.optimize((t) => Math.abs(t.suggestInt('n', 0, 20) - 7), { trials: 12 })
await storage.close()
`,
  )
  assert.equal(write.status, 0, write.stderr)
  const read = runNode(
    'read.mjs',
    `import { openStorage, Study } from 'winnow'
import { describeStorageContract } from 'winnow/testing'
const storage = await openStorage('sqlite:${db}')
const study = await Study.load({ storage, name: 'lib' })
const trials = await study.trials()
console.log(JSON.stringify({ n: trials.length, states: [...new Set(trials.map((t) => t.state))], testing: typeof describeStorageContract }))
await storage.close()
`,
  )
  assert.equal(read.status, 0, read.stderr)
  assert.deepEqual(JSON.parse(read.stdout), { n: 12, states: ['COMPLETE'], testing: 'function' })
})

test('the installed CLI runs compiled (no sources shipped beside it): status of a library study, init writes a recipe', () => {
  const bin = join(project, 'node_modules/winnow/bin/winnow.js')
  const db = join(project, 'cli.db')
  const write = runNode(
    'cli-study.mjs',
    `import { openStorage, Study } from 'winnow'
const storage = await openStorage('sqlite:${db}')
const study = await Study.create({ storage, name: 'cli', seed: 1 })
await study.optimize((t) => (t.suggestFloat('x', -1, 1) - 0.5) ** 2, { trials: 6 })
await storage.close()
`,
  )
  assert.equal(write.status, 0, write.stderr)
  const status = spawnSync(process.execPath, [bin, 'status', 'cli', '--storage', `sqlite:${db}`], {
    cwd: project,
    encoding: 'utf8',
  })
  assert.equal(status.status, 0, status.stderr)
  assert.match(status.stdout, /6 complete/)
  // The recipe templates are data files the compiled code reads beside itself.
  const init = spawnSync(process.execPath, [bin, 'init', '--recipe', 'lora-sft', '--dir', 'recipe'], {
    cwd: project,
    encoding: 'utf8',
  })
  assert.equal(init.status, 0, init.stdout + init.stderr)
  assert.ok(existsSync(join(project, 'recipe', 'train.py')))
})

test("the package's type declarations check a user's strict TypeScript, and catch a misspelled option", () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['good.ts', 'bad.ts'],
    }),
  )
  writeFileSync(
    join(project, 'good.ts'),
    `import { GpSampler, MemoryStorage, Study, type FrozenTrial } from 'winnow'
const study = await Study.create({ storage: new MemoryStorage(), name: 'typed', sampler: new GpSampler({ nCandidates: 256 }) })
await study.optimize((trial) => trial.suggestFloat('x', 0, 1) ** 2, { trials: 3 })
const best: FrozenTrial | undefined = await study.bestTrial()
const number: number | undefined = best?.number
export { number }
`,
  )
  writeFileSync(
    join(project, 'bad.ts'),
    `import { GpSampler } from 'winnow'
export const sampler = new GpSampler({ nCandiates: 256 })
`,
  )
  const r = spawnSync(TSC, ['-p', project], { cwd: project, encoding: 'utf8' })
  const errors = r.stdout.split('\n').filter((l) => l.includes('error TS'))
  assert.equal(errors.length, 1, `only bad.ts fails:\n${r.stdout}${r.stderr}`)
  assert.match(errors[0], /^bad\.ts.*'nCandiates' does not exist in type 'GpSamplerOptions'/)
})

test('the packed package holds dist/ (exports point there), the CLI and the clients, and no tests', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path)
  for (const needed of [
    'dist/index.js',
    'dist/index.d.ts',
    'dist/testing/index.js',
    'dist/cli/main.js',
    'dist/recipes/templates/train_sft.py',
    'bin/winnow.js',
    'bin/entry.js',
    'src/cli/main.ts',
  ])
    assert.ok(files.includes(needed), `${needed} is packed`)
  assert.ok(files.includes('clients/python/winnow_client.py'))
  assert.deepEqual(
    files.filter((f) => f.endsWith('.test.ts')),
    [],
  )
})
