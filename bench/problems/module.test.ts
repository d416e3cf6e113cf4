import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { isCurveProblem, loadProblemModule, problemIssues, validateProblem } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'winnow-problems-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const typesUrl = new URL('./types.ts', import.meta.url).href

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const sphereTs = `
import type { BenchProblem, CurveProblem } from '${typesUrl}'
const sphere: BenchProblem = {
  name: 'sphere2',
  space: { x: { kind: 'float', low: -1, high: 1, log: false }, y: { kind: 'float', low: -1, high: 1, log: false } },
  fstar: 0,
  noisy: false,
  evaluate: (p) => { const v = (p.x as number) ** 2 + (p.y as number) ** 2; return { observed: v, clean: v } },
}
const ramp: CurveProblem = {
  ...sphere,
  name: 'ramp',
  maxStep: 10,
  evaluateAt: (p, _seed, step) => { const v = sphere.evaluate(p, 0).clean + 1 / step; return { observed: v, clean: v } },
}
export const problems: Record<string, BenchProblem> = { sphere, ramp }
`

describe('loadProblemModule', () => {
  it('loads a .ts module exporting `problems`', async () => {
    const mods = await loadProblemModule(file('mine.ts', sphereTs))
    assert.deepEqual(Object.keys(mods), ['sphere2', 'ramp'])
    assert.deepEqual(mods.sphere2.evaluate({ x: 0.5, y: 0 }, 0), { observed: 0.25, clean: 0.25 })
    assert.ok(isCurveProblem(mods.ramp))
    assert.ok(!isCurveProblem(mods.sphere2))
  })

  it('loads a .js module with a default array or named exports', async () => {
    const one = `{ name: 'c', space: { k: { kind: 'categorical', choices: ['a', 'b'] } }, fstar: 0, noisy: false,
      evaluate: (p) => ({ observed: p.k === 'a' ? 0 : 1, clean: p.k === 'a' ? 0 : 1 }) }`
    const a = await loadProblemModule(file('def.mjs', `export default [${one}]`))
    assert.deepEqual(Object.keys(a), ['c'])
    const b = await loadProblemModule(file('named.js', `export const c = ${one}\nexport const other = 3\n`))
    assert.deepEqual(Object.keys(b), ['c'])
  })

  it('names the export and every missing field of an invalid problem', async () => {
    const path = file(
      'bad.mjs',
      `export const problems = { broken: { name: 'broken', space: { x: { kind: 'float', low: 2, high: 1, log: false } },
        noisy: 'no', evaluate: () => 0, maxStep: 5 } }`,
    )
    await assert.rejects(loadProblemModule(path), (e: Error) => {
      assert.match(e.message, /bad\.mjs is invalid/)
      assert.match(e.message, /export `problems`\.broken: missing `fstar`/)
      assert.match(e.message, /missing `noisy`/)
      assert.match(e.message, /space\.x: .*low <= high/)
      assert.match(e.message, /missing `evaluateAt/)
      return true
    })
  })

  it('explains a module without problems, a missing file and a wrong extension', async () => {
    await assert.rejects(loadProblemModule(file('empty.mjs', 'export const x = 1\n')), /exports no problems/)
    await assert.rejects(loadProblemModule(join(dir, 'nope.ts')), /Problem module not found/)
    await assert.rejects(loadProblemModule(file('p.json', '{}')), /must be a \.ts/)
    await assert.rejects(loadProblemModule(file('syntax.mjs', 'export const = ;')), /Could not load problem module/)
  })

  it('rejects duplicate names', async () => {
    const p = `{ name: 'd', space: { x: { kind: 'int', low: 0, high: 3, log: false, step: 1 } }, fstar: 0, noisy: false,
      evaluate: () => ({ observed: 0, clean: 0 }) }`
    await assert.rejects(
      loadProblemModule(file('dup.mjs', `export default [${p}, ${p}]`)),
      /duplicate problem name "d"/,
    )
  })
})

describe('validateProblem', () => {
  it('reports non-objects and passes a valid problem', () => {
    assert.deepEqual(problemIssues(null), ['is not an object (got null)'])
    assert.throws(() => validateProblem({}, 'mine'), /mine is not a valid benchmark problem:[\s\S]*`name`/)
  })

  it('this folder is importable as a problem module', async () => {
    const mods = await loadProblemModule(fileURLToPath(new URL('./index.ts', import.meta.url)))
    assert.ok('lora-sft-curves' in mods && 'branin' in mods)
  })
})
