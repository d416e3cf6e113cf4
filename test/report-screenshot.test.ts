// Builds a real study in SQLite (baseline, learning curves, pruned trials, hostile strings), runs `winnow report`
// as a subprocess, and opens the HTML in headless Chromium with the network blocked: the sections must render,
// the charts must hold data, nothing may be fetched, no script may run, and a full-page screenshot is saved.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { CHROMIUM_PATH as CHROMIUM, launchChromium } from '../scripts/chromium.ts'
import { RandomSampler } from '../src/core/samplers/random-sampler.ts'
import { Study } from '../src/core/study/study.ts'
import { openStorage } from '../src/storage/open-storage.ts'

const root = join(import.meta.dirname, '..')
const NAME = '<script>alert(1)</script>'
const EVIL = '"><img src=x onerror=alert(1)>'

/** What the test reads back from the rendered page. */
interface Seen {
  title: string
  headings: string[]
  scripts: number
  imgs: number
  historyPoints: number
  bestSoFar: number
  curves: number
  prunedCurves: number
  bestCurve: number
  rungLines: number
  slices: number
  importanceBars: number
  cards: string
  comparison: string
  verdict: string
  compute: string
  repro: string
  trials: string
}

/** Four significant digits, as the report prints numbers. */
const sig4 = (x: number) => String(Number.parseFloat(x.toPrecision(4)))

async function buildStudy(url: string): Promise<{ baseline: number; best: number }> {
  const storage = await openStorage(url)
  try {
    const study = await Study.create({
      storage,
      name: NAME,
      metricNames: ['eval_loss'],
      seed: 3,
      sampler: new RandomSampler(),
      systemAttrs: {
        studyFileText: `name: "${NAME}"\nspace:\n  style: {type: categorical, choices: [plain, '${EVIL}']}\n`,
        studyFileSha256: 'ab'.repeat(32),
        strategies: 'sampler random, scheduler in-objective threshold',
        command: ['python', 'train.py', '--style', '{style}'],
        resource: { kind: 'steps', min: 2, max: 12 },
      },
      userAttrs: { data_hashes: { train: `sha256:${'cd'.repeat(32)}` } },
    })
    await study.enqueue({ lr: 0.01, style: 'plain', layers: 2 }, { systemAttrs: { baseline: true } })
    const finals: number[] = []
    for (let i = 0; i < 14; i++) {
      const trial = await study.ask()
      const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true })
      const style = trial.suggestCategorical('style', ['plain', EVIL])
      const layers = trial.suggestInt('layers', 1, 4)
      const quality = Math.abs(Math.log10(lr) + 2.5) + (style === EVIL ? 0.3 : 0) + 0.1 * Math.abs(layers - 3)
      let value = 3
      let pruned = false
      for (let step = 1; step <= 12; step++) {
        value = 0.8 + quality + 2.5 * Math.exp(-step / 4)
        await trial.report(step, value)
        if (i > 0 && step === 4 && value > 2.6) {
          pruned = true
          break
        }
      }
      if (pruned)
        await study.tell(trial, undefined, {
          state: 'PRUNED',
          systemAttrs: { pruneReason: `${EVIL} above 2.6 at step 4` },
        })
      else {
        finals.push(value)
        await study.tell(trial, value, {
          systemAttrs: {
            metrics: { eval_loss: value, accuracy: 1 / (1 + value) },
            wallSeconds: 12,
            gpuSeconds: 12,
            tokens: 4800,
          },
        })
      }
    }
    const trials = await study.trials()
    const baseline = trials.find((t) => t.systemAttrs.baseline === true)!
    assert.ok(
      trials.some((t) => t.state === 'PRUNED'),
      'the fixture needs pruned trials',
    )
    return { baseline: baseline.values![0], best: Math.min(...finals) }
  } finally {
    await storage.close()
  }
}

test('winnow report renders a self-contained, escaped HTML report in headless Chromium', async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.WINNOW_SKIP_BROWSER === '1') return t.skip(`${CHROMIUM} is missing (WINNOW_SKIP_BROWSER=1)`)
    assert.fail(
      `${CHROMIUM} is missing, so the report cannot be checked in a browser. Install Chromium there, or set WINNOW_SKIP_BROWSER=1 to skip this test.`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'winnow-report-'))
  const url = `sqlite:${join(dir, 'r.db')}`
  const expected = await buildStudy(url)
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(root, 'bin/winnow.js'), 'report', NAME, '--storage', url, '--out', join(dir, 'out')],
    { cwd: root },
  )
  const htmlPath = /Wrote (.+\.html)/.exec(stdout)?.[1]
  const mdPath = /Wrote (.+\.md)/.exec(stdout)?.[1]
  assert.ok(htmlPath && mdPath, `report paths in: ${stdout}`)
  assert.ok(htmlPath.startsWith(join(dir, 'out')), 'the study name must not steer the output path')

  const html = readFileSync(htmlPath, 'utf8')
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'))
  assert.ok(!html.includes('<img') && !html.includes('<script'), 'no live tag from study strings')
  // The study file is quoted verbatim inside a code fence (Markdown shows fenced text literally); outside
  // fences every study string must be escaped.
  const md = readFileSync(mdPath, 'utf8')
  const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
  assert.ok(prose.length < md.length, 'the study file is fenced')
  assert.ok(prose.includes('&lt;script&gt;'), 'escaped name in the Markdown')
  assert.ok(!prose.includes('<script') && !prose.includes('<img'), 'no live tag in the Markdown')

  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const fileUrl = pathToFileURL(htmlPath).href
    const requests: string[] = []
    const errors: string[] = []
    const dialogs: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.route('**/*', (route) => {
      const u = route.request().url()
      if (u === fileUrl) return route.continue()
      requests.push(u)
      return route.abort()
    })
    await page.goto(fileUrl)
    // Passed as source text: tsx would wrap named inner functions in a `__name` helper the page does not have.
    const seen = (await page.evaluate(`(() => {
      const count = (sel) => document.querySelectorAll(sel).length
      const svg = (id) => document.querySelector(\`#\${id} svg\`)
      return {
        title: document.querySelector('h1')?.textContent ?? '',
        headings: [...document.querySelectorAll('h2')].map((h) => h.textContent),
        scripts: count('script'),
        imgs: count('img'),
        historyPoints: svg('history')?.querySelectorAll('g[clip-path] circle.pt').length ?? 0,
        bestSoFar: svg('history')?.querySelectorAll('path.best-line').length ?? 0,
        curves: svg('curves')?.querySelectorAll('g[clip-path] path.ln').length ?? 0,
        prunedCurves: svg('curves')?.querySelectorAll('g[clip-path] path.ln.pruned').length ?? 0,
        bestCurve: svg('curves')?.querySelectorAll('g[clip-path] path.ln.best').length ?? 0,
        rungLines: svg('curves')?.querySelectorAll('line.rule.rung').length ?? 0,
        slices: document.querySelectorAll('#sensitivity svg').length,
        importanceBars: document.querySelectorAll('#importance svg rect.bar').length,
        cards: document.querySelector('.cards')?.textContent ?? '',
        comparison: document.querySelector('#baseline-vs-best')?.textContent ?? '',
        verdict: document.querySelector('#rank-transfer .verdict')?.textContent ?? '',
        compute: document.querySelector('#compute')?.textContent ?? '',
        repro: document.querySelector('#reproducibility')?.textContent ?? '',
        trials: document.querySelector('#trials')?.textContent ?? '',
      }
    })()`)) as Seen
    assert.equal(seen.title, `Winnow report: ${NAME}`)
    for (const h of [
      'Setup and search space',
      'Baseline vs best',
      'Optimization history',
      'Learning curves',
      'Parameter importance',
      'Sensitivity',
      'Rank transfer between fidelities',
      'Compute used and saved',
      'Reproducibility record',
    ])
      assert.ok(seen.headings.includes(h), `heading "${h}" in ${JSON.stringify(seen.headings)}`)
    assert.equal(seen.scripts, 0)
    assert.equal(seen.imgs, 0)
    assert.ok(seen.historyPoints === 14, `history points: ${seen.historyPoints}`)
    assert.equal(seen.bestSoFar, 1)
    assert.equal(seen.curves, 14, 'one curve per trial (the baseline is the first of the 14)')
    assert.ok(seen.prunedCurves > 0 && seen.bestCurve === 1, JSON.stringify(seen))
    assert.equal(seen.rungLines, 2, 'rungs 2 and 6 below max 12')
    assert.equal(seen.slices, 3)
    assert.equal(seen.importanceBars, 3, 'one fANOVA bar per parameter')
    assert.ok(seen.cards.includes(sig4(expected.baseline)) && seen.cards.includes(sig4(expected.best)), seen.cards)
    assert.ok(seen.comparison.includes('accuracy'), 'other recorded metrics are compared')
    // Judged against the highest fidelity enough trials reached (as winnow status does), not always max 12.
    assert.match(seen.verdict, /^steps 2 → \d+: Subset ranking is (reliable|unreliable) for this study \(n = \d+/)
    assert.match(seen.compute, /saved/)
    assert.ok(seen.repro.includes('sha256:') && seen.repro.includes('abab'), 'data and study-file hashes')
    assert.ok(seen.trials.includes(EVIL), 'the hostile categorical value shows as text')
    assert.deepEqual(requests, [], 'no network requests besides the file')
    assert.deepEqual(errors, [], 'no console errors')
    assert.deepEqual(dialogs, [], 'no script ran')
    const png = join(dir, 'report.png')
    await page.screenshot({ path: png, fullPage: true })
    assert.ok(statSync(png).size > 20_000)
    t.diagnostic(`screenshot: ${png}`)
  } finally {
    await browser.close()
  }
})
