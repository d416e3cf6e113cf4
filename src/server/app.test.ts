import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Storage } from '../core/storage.ts'
import type { FrozenTrial } from '../core/trial/frozen-trial.ts'
import { openStorage } from '../storage/open-storage.ts'
import { createDashboardApp } from './app.ts'
import { PAGE_CSP } from './html/layout.ts'
import type { StudyDigest } from './study-digest.ts'
import { addCompleteTrials, buildFixtureStudy, type Fixture, HOSTILE_NAME, HOSTILE_VALUE } from './testing/fixture.ts'

const ENC = encodeURIComponent(HOSTILE_NAME)
const ESCAPED_NAME = '&lt;script&gt;alert(1)&lt;/script&gt;'
const ESCAPED_VALUE = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'

/** The page holds study strings only as text: no live tag from them, and only the dashboard's own script tag. */
function assertEscaped(html: string): void {
  assert.ok(!html.includes(HOSTILE_NAME), 'the raw study name must not reach the page')
  assert.ok(!html.includes(HOSTILE_VALUE), 'the raw categorical value must not reach the page')
  assert.ok(!html.includes('<img'), 'no <img> element injected')
  assert.equal(html.match(/<script/g)?.length ?? 0, html.includes('/assets/live.js') ? 1 : 0, 'only the live script')
}

describe('dashboard HTTP handlers on a real SQLite storage', () => {
  let dir: string
  let url: string
  let storage: Storage
  let fx: Fixture
  let app: ReturnType<typeof createDashboardApp>
  const shutdown = new AbortController()

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'winnow-dashboard-'))
    url = `sqlite:${join(dir, 'd.db')}`
    storage = await openStorage(url)
    fx = await buildFixtureStudy(storage, dir)
    await storage.createStudy({ name: 'plain', directions: ['maximize'], metricNames: ['accuracy'] })
    app = createDashboardApp({ storage, pollMs: 20, signal: shutdown.signal, onError: () => {} })
  })
  after(async () => {
    shutdown.abort()
    await storage.close()
  })

  test('/ lists every study with counts, best and gain, escaped', async () => {
    const res = await app.request('/')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/)
    const html = await res.text()
    assertEscaped(html)
    assert.ok(html.includes(ESCAPED_NAME) && html.includes('>plain</a>'))
    assert.ok(html.includes(`href="/study/${ENC}"`), 'the link encodes the name')
    assert.ok(html.includes(`${fx.complete} complete, ${fx.running} running, ${fx.pruned} pruned, ${fx.paused} paused`))
    assert.match(html, /[+-]\d+\.\d %/, 'a gain over the baseline')
  })

  test('/study/:name shows counters, charts, trials table; escaped', async () => {
    const res = await app.request(`/study/${ENC}`)
    assert.equal(res.status, 200)
    const html = await res.text()
    assertEscaped(html)
    assert.ok(html.includes(`<b data-count="COMPLETE">${fx.complete}</b>`))
    assert.ok(html.includes(`<b data-count="PAUSED">${fx.paused}</b>`))
    assert.ok(html.includes(`<b data-count="RUNNING">${fx.running}</b>`))
    for (const id of ['baseline-vs-best', 'history', 'curves', 'importance', 'compute', 'rank-transfer', 'trials'])
      assert.ok(html.includes(`<section id="${id}">`), `section ${id}`)
    assert.ok(html.includes('aria-label="learning curves of eval_loss"'), 'learning curves chart')
    assert.ok(html.includes('class="ln pruned"'), 'pruned trials on the learning curves')
    assert.ok(html.includes(ESCAPED_VALUE), 'the hostile value shows as text')
    assert.ok(html.includes(`data-events="/api/studies/${ENC}/events"`))
  })

  test('the trials table paginates and sorts by number or value', async () => {
    await addCompleteTrials(storage, HOSTILE_NAME, 45) // 54 trials: two pages of 50
    const first = await (await app.request(`/study/${ENC}/fragment`)).text()
    assert.match(first, /page 1 of 2 · 54 trials/)
    const numbers = (html: string) => [...html.matchAll(/<td><a href="[^"]*\/trial\/(\d+)">/g)].map((m) => Number(m[1]))
    assert.deepEqual(numbers(first).slice(0, 2), [53, 52], 'newest first by default')
    const second = await (await app.request(`/study/${ENC}/fragment?page=2&sort=number&dir=asc`)).text()
    assert.deepEqual(numbers(second), [50, 51, 52, 53])
    const byValue = await (await app.request(`/study/${ENC}/fragment?sort=value`)).text()
    const trials = (await (await app.request(`/api/studies/${ENC}/trials`)).json()) as { trials: FrozenTrial[] }
    const bestFirst = trials.trials
      .filter((t) => t.values !== null)
      .sort((a, b) => a.values![0] - b.values![0] || a.number - b.number)
    assert.deepEqual(
      numbers(byValue).slice(0, 5),
      bestFirst.slice(0, 5).map((t) => t.number),
      'best (lowest) first',
    )
  })

  test('/study/:name/trial/:number shows params, reason, attrs and the recorded log tail', async () => {
    const pruned = await (await app.request(`/study/${ENC}/trial/3`)).text()
    assertEscaped(pruned)
    assert.ok(pruned.includes('PRUNED') && pruned.includes(`Why it stopped:</b> ${ESCAPED_VALUE} at step 2`))
    const logged = await (await app.request(`/study/${ENC}/trial/${fx.loggedTrial}`)).text()
    assertEscaped(logged)
    assert.ok(logged.includes('float [0.0001, 0.1], log'), 'the distribution of a parameter')
    assert.ok(logged.includes(`log line 299 ${ESCAPED_VALUE}`) && logged.includes('log line 100 '))
    assert.ok(!logged.includes('log line 99 '), 'only the last 200 lines')
    assert.ok(logged.includes('8 reports'))
  })

  test('JSON API: studies, one study, trials', async () => {
    const list = (await (await app.request('/api/studies')).json()) as { studies: StudyDigest[] }
    assert.deepEqual(
      list.studies.map((s) => s.name),
      [HOSTILE_NAME, 'plain'],
    )
    const s = list.studies[0]
    assert.equal(s.counts.PAUSED, fx.paused)
    assert.equal(typeof s.version, 'number')
    assert.ok(s.best !== null && s.baseline?.number === 0 && typeof s.gain === 'number')
    const one = (await (await app.request(`/api/studies/${ENC}`)).json()) as Record<string, unknown>
    assert.equal(one.name, HOSTILE_NAME)
    assert.ok(Array.isArray((one.importance as { entries: unknown[] }).entries))
    assert.equal((one.rankTransfer as { kind: string }).kind, 'steps')
    assert.ok((one.cost as { savedFraction: number }).savedFraction > 0)
    const plain = (await (await app.request('/api/studies/plain')).json()) as StudyDigest
    assert.equal(plain.total, 0)
    assert.equal(plain.best, null)
  })

  test('?since=<version> returns only the trials changed after that version', async () => {
    const all = (await (await app.request(`/api/studies/${ENC}/trials`)).json()) as {
      version: number
      trials: FrozenTrial[]
    }
    const none = (await (await app.request(`/api/studies/${ENC}/trials?since=${all.version}`)).json()) as typeof all
    assert.deepEqual(none, { version: all.version, trials: [] })
    // Another connection writes, as `winnow tune` in another process would.
    const writer = await openStorage(url)
    try {
      await addCompleteTrials(writer, HOSTILE_NAME, 2)
      const running = all.trials.find((t) => t.state === 'RUNNING')!
      await writer.reportIntermediate(running.id, 9, 0.9)
    } finally {
      await writer.close()
    }
    const changed = (await (await app.request(`/api/studies/${ENC}/trials?since=${all.version}`)).json()) as typeof all
    const maxBefore = Math.max(...all.trials.map((t) => t.number))
    assert.deepEqual(
      changed.trials.map((t) => t.number).sort((a, b) => a - b),
      [all.trials.find((t) => t.state === 'RUNNING')!.number, maxBefore + 1, maxBefore + 2],
    )
    assert.ok(changed.version > all.version)
  })

  test('unknown study or trial → 404 with a clear message; bad query → 400', async () => {
    const page = await app.request('/study/nope')
    assert.equal(page.status, 404)
    assert.match(await page.text(), /Study &quot;nope&quot; does not exist in sqlite:.*Studies there: /)
    const api = await app.request('/api/studies/nope/trials')
    assert.equal(api.status, 404)
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'study_not_found')
    const trial = await app.request(`/study/${ENC}/trial/9999`)
    assert.equal(trial.status, 404)
    assert.match(await trial.text(), /has no trial #9999; its trials are #0 to #\d+/)
    assert.equal((await app.request('/no/such/page')).status, 404)
    const cases: [string, RegExp][] = [
      [`/study/${ENC}?page=abc`, /&quot;page&quot; must be a non-negative integer, got &quot;abc&quot;/],
      [`/study/${ENC}?page=0`, /must be 1 or more/],
      [`/study/${ENC}?page=99`, /the last page is \d+/],
      [`/study/${ENC}?sort=params`, /&quot;sort&quot; must be &quot;number&quot; or &quot;value&quot;/],
      [`/study/${ENC}/trial/abc`, /Trial number must be a non-negative integer/],
    ]
    for (const [path, msg] of cases) {
      const res = await app.request(path)
      assert.equal(res.status, 400, path)
      assert.match(await res.text(), msg)
    }
    const since = await app.request(`/api/studies/${ENC}/trials?since=-1`)
    assert.equal(since.status, 400)
    assert.match(
      ((await since.json()) as { error: { message: string } }).error.message,
      /"since" must be a non-negative integer, got "-1"/,
    )
  })

  test('the event stream says hello, then reports changes the client has not seen', async () => {
    const res = await app.request(`/api/studies/${ENC}/events?since=1`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
    const reader = res.body!.getReader()
    let text = ''
    while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value)
    assert.match(text, /event: hello\ndata: \{"version":\d+\}\nid: 1\n/)
    const change = JSON.parse(/event: change\ndata: (.*)\n/.exec(text)![1]) as {
      changed: number[]
      counts: { COMPLETE: number }
    }
    assert.ok(change.changed.length > 10 && change.counts.COMPLETE > fx.complete)
    await reader.cancel()
  })

  test('the list page is live: its event stream reports a new study, and /fragment holds the escaped table', async () => {
    const page = await (await app.request('/')).text()
    const signature =
      /<div id="live" data-version="([0-9a-f]{16})" data-events="\/api\/events" data-fragment="\/fragment">/.exec(
        page,
      )?.[1]
    assert.ok(signature, 'the page carries the list signature and the stream and fragment URLs')
    assert.doesNotMatch(page, /http-equiv="refresh"/, 'no whole-page reload')
    const res = await app.request(`/api/events?since=${signature}`)
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
    const reader = res.body!.getReader()
    let text = ''
    while (!text.includes('event: hello')) text += new TextDecoder().decode((await reader.read()).value)
    assert.match(text, new RegExp(`event: hello\ndata: \\{"signature":"${signature}"\\}\nid: ${signature}\n`))
    await storage.createStudy({ name: 'arrives-later', directions: ['minimize'], metricNames: ['loss'] })
    while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value)
    const change = JSON.parse(/event: change\ndata: (.*)\n/.exec(text)![1]) as { signature: string; studies: number }
    assert.notEqual(change.signature, signature)
    assert.equal(change.studies, 3)
    await reader.cancel()
    // A page rendered before a change hears of it at once.
    const stale = (await app.request(`/api/events?since=${signature}`)).body!.getReader()
    let staleText = ''
    while (!staleText.includes('event: change')) staleText += new TextDecoder().decode((await stale.read()).value)
    await stale.cancel()
    const fragment = await (await app.request('/fragment')).text()
    assertEscaped(fragment)
    assert.ok(
      fragment.includes('>arrives-later</a>') && fragment.includes(ESCAPED_NAME) && fragment.includes('3 studies'),
    )
    await storage.deleteStudy((await storage.findStudy('arrives-later'))!.id)
  })

  test('an empty study and a multi-objective study render', async () => {
    const empty = await app.request('/study/plain')
    assert.equal(empty.status, 200)
    assert.match(await empty.text(), /No trial has completed yet/)
    const multi = await storage.createStudy({
      name: 'multi',
      directions: ['minimize', 'maximize'],
      metricNames: ['loss', 'acc'],
    })
    for (const [loss, acc] of [
      [1, 0.5],
      [0.5, 0.4],
      [2, 0.9],
    ]) {
      const t = await storage.createTrial(multi.study.id)
      await storage.setTrialState(t.id, 'COMPLETE', { values: [loss, acc] })
    }
    const html = await (await app.request('/study/multi')).text()
    assert.match(html, /Pareto front/)
    assert.match(html, /its Pareto front holds 3 trials/)
    const api = (await (await app.request('/api/studies/multi')).json()) as StudyDigest
    assert.equal(api.paretoSize, 3)
    assert.equal(api.best, null)
  })

  test('a Host header that is not allowed gets 403 (DNS-rebinding guard), with the security headers', async () => {
    const guarded = createDashboardApp({ storage, allowedHosts: ['127.0.0.1'] })
    assert.equal((await guarded.request('http://127.0.0.1:8080/api/studies')).status, 200)
    const res = await guarded.request('http://evil.example:8080/api/studies')
    assert.equal(res.status, 403)
    // The refusal page quotes the Host it got: it is as guarded as any other page.
    const page = await guarded.request('http://evil.example:8080/')
    assert.equal(page.status, 403)
    assert.match(await page.text(), /Host &quot;evil.example&quot; is not served here/)
    assert.equal(page.headers.get('content-security-policy'), PAGE_CSP)
    for (const r of [res, page]) {
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(r.headers.get('cache-control'), 'no-store')
    }
  })

  test('a method other than GET or HEAD gets 405 with Allow, not "no page here"', async () => {
    for (const [method, path] of [
      ['POST', '/'],
      ['DELETE', `/api/studies/${ENC}`],
      ['PUT', '/study/plain'],
    ]) {
      const res = await app.request(path, { method })
      assert.equal(res.status, 405, `${method} ${path}`)
      assert.equal(res.headers.get('allow'), 'GET, HEAD')
      const text = await res.text()
      assert.match(text, new RegExp(`read-only: ${method} `))
      assert.ok(!text.includes('There is no page'))
    }
    const api = await app.request('/api/studies', { method: 'POST' })
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'method_not_allowed')
    assert.equal((await app.request('/study/plain', { method: 'HEAD' })).status, 200)
  })

  test('eleven open event streams are no listener leak (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    const own = new AbortController()
    const streaming = createDashboardApp({ storage, pollMs: 20, signal: own.signal, onError: () => {} })
    const readers = []
    try {
      for (let i = 0; i < 11; i++) {
        const reader = (await streaming.request('/api/studies/plain/events')).body!.getReader()
        assert.match(new TextDecoder().decode((await reader.read()).value), /event: hello/)
        readers.push(reader)
      }
      await new Promise((r) => setTimeout(r, 50)) // warnings are emitted on a later tick
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      )
    } finally {
      process.off('warning', onWarning)
      for (const r of readers) await r.cancel()
      own.abort()
    }
  })
})
