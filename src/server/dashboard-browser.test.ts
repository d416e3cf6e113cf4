// The real server on an ephemeral 127.0.0.1 port, the study page in headless Chromium, and trials added from
// another storage connection while the page is open: the counters must update without a reload (SSE → fragment);
// likewise the study list when a study is created.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { CHROMIUM_PATH, launchChromium } from '../../scripts/chromium.ts'
import { Study } from '../core/study/study.ts'
import { openStorage } from '../storage/open-storage.ts'
import { startDashboard } from './serve.ts'
import { addCompleteTrials, buildFixtureStudy, HOSTILE_NAME } from './testing/fixture.ts'

/** Resolves true when a TCP connection to host:port succeeds. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
    s.once('timeout', () => done(false))
  })
}

/** GET with an explicit Host header (fetch does not allow setting it). */
function statusWithHost(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/api/studies', headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
      .once('error', reject)
      .end()
  })
}

test('the study page updates live in Chromium while trials are added; server bound to 127.0.0.1 only', async (t) => {
  if (!existsSync(CHROMIUM_PATH))
    return t.skip(`${CHROMIUM_PATH} is missing, so the dashboard cannot be opened in a browser`)
  const dir = mkdtempSync(join(tmpdir(), 'winnow-dash-browser-'))
  const url = `sqlite:${join(dir, 'b.db')}`
  const storage = await openStorage(url)
  const fx = await buildFixtureStudy(storage, dir)
  const dashboard = await startDashboard({ storage, port: 0, pollMs: 200 })
  const browser = await launchChromium()
  const writer = await openStorage(url)
  try {
    assert.equal(dashboard.address.address, '127.0.0.1')
    assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
    const port = dashboard.address.port
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
    if (external !== undefined) assert.equal(await canConnect(external, port), false, `not reachable on ${external}`)
    assert.equal(await statusWithHost(port, `rebound.example:${port}`), 403)

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(String(e)))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`)
      void d.dismiss()
    })
    await page.route('**/*', (route) =>
      route.request().url().startsWith(dashboard.url) ? route.continue() : route.abort(),
    )
    await page.goto(`${dashboard.url}study/${encodeURIComponent(HOSTILE_NAME)}`)
    assert.equal(await page.textContent('h1 .name'), HOSTILE_NAME, 'the name shows as text')
    await page.waitForSelector('#live-status.on', { timeout: 5000 })
    const done = () => page.textContent('[data-count="COMPLETE"]')
    assert.equal(await done(), String(fx.complete))
    await page.evaluate('window.__sameDocument = true')

    await addCompleteTrials(writer, HOSTILE_NAME, 3)
    // A locator, not waitForFunction: the page's CSP forbids the eval a string predicate needs.
    await page
      .locator('[data-count="COMPLETE"]', { hasText: new RegExp(`^${fx.complete + 3}$`) })
      .waitFor({ timeout: 10_000 })
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'updated without a reload')
    assert.deepEqual(problems, [])

    // The study list is live too: a study created elsewhere appears without a reload.
    await page.goto(dashboard.url)
    await page.waitForSelector('#live-status.on', { timeout: 5000 })
    await page.evaluate('window.__sameDocument = true')
    await writer.createStudy({ name: 'arrived-while-open', directions: ['minimize'], metricNames: ['loss'] })
    await page.locator('#live a', { hasText: /^arrived-while-open$/ }).waitFor({ timeout: 10_000 })
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'the list updated without a reload')
    assert.equal(await page.locator('#live a', { hasText: HOSTILE_NAME }).count(), 1, 'the hostile name as text')
    assert.deepEqual(problems, [])
    // A trial page follows its trial: the header's state badge too, not only the live part below it.
    const study = await Study.load({ storage: writer, name: HOSTILE_NAME })
    const running = await study.ask()
    running.suggestFloat('lr', 1e-4, 1e-1, { log: true })
    await page.goto(`${dashboard.url}study/${encodeURIComponent(HOSTILE_NAME)}/trial/${running.number}`)
    await page.waitForSelector('#live-status.on', { timeout: 5000 })
    assert.equal(await page.textContent('#trial-state'), 'RUNNING')
    await study.tell(running, 0.7)
    await page.locator('#trial-state', { hasText: /^COMPLETE$/ }).waitFor({ timeout: 10_000 })
    assert.deepEqual(problems, [])

    await page.goto(`${dashboard.url}study/${encodeURIComponent(HOSTILE_NAME)}`)
    await page.waitForSelector('#live-status.on', { timeout: 5000 })

    const png = join(dir, 'dashboard.png')
    await page.screenshot({ path: png, fullPage: true })
    const bytes = readFileSync(png)
    assert.ok(bytes.length > 10_000, `screenshot size ${bytes.length}`)
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG')
    t.diagnostic(`screenshot: ${png}`)
  } finally {
    await browser.close()
    await dashboard.close()
    await writer.close()
    await storage.close()
  }
})
