import { setTimeout as delay } from 'node:timers/promises'
import type { Context, Hono } from 'hono'
import { type SSEMessage, streamSSE } from 'hono/streaming'
import { StudyNotFoundError } from '../../core/errors.ts'
import { type DashboardContext, requireStudy } from '../dashboard-context.ts'
import { parseSince } from '../query.ts'
import type { StudyDigest } from '../study-digest.ts'
import { listSignature } from '../study-list.ts'
import { digestOf } from '../views.ts'

/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const PING_MS = 15_000

/**
 * `GET /api/studies/:name/events[?since=<version>]`: server-sent events that say when the study changed.
 *
 * Events: `hello` `{version}` on connect; `change` `{version, changed: [trial numbers], counts, total}` whenever
 * the study's version moved (its `id` is the version, so a reconnecting EventSource resumes from it through
 * `Last-Event-ID`); `gone` when the study was deleted (the stream then ends); `error` `{message}` when a read
 * failed (the stream goes on). A change the client has not seen yet (`since` older than the study) is sent at
 * once.
 *
 * Storage has no cross-process change notification, so each stream polls every `pollMs`, and a poll is the
 * storage's incremental read of what changed since the cached version (see StudyCache), shared by every
 * stream of the same study: never a re-read of the whole study.
 */
export function registerEventsRoute(app: Hono, ctx: DashboardContext): void {
  app.get('/api/studies/:name/events', async (c) => {
    const fromHeader = c.req.header('last-event-id')
    const since = parseSince(fromHeader !== undefined && /^\d+$/.test(fromHeader) ? fromHeader : c.req.query('since'))
    const cache = await requireStudy(ctx, c.req.param('name'))
    let seen = since ?? cache.version
    const hello = { event: 'hello', id: String(seen), data: JSON.stringify({ version: cache.version }) }
    return pollingStream(c, ctx, hello, async () => {
      try {
        await cache.refresh(ctx.pollMs / 2)
      } catch (e) {
        if (e instanceof StudyNotFoundError)
          return { events: [{ event: 'gone', data: JSON.stringify({ name: cache.info.name }) }], end: true }
        return { events: [{ event: 'error', data: JSON.stringify({ message: (e as Error).message }) }] }
      }
      if (cache.version <= seen) return { events: [] }
      const changed = cache.changedSince(seen).map((t) => t.number)
      seen = cache.version
      const d = digestOf(cache)
      const data = JSON.stringify({ version: seen, changed, counts: d.counts, total: d.total })
      return { events: [{ event: 'change', id: String(seen), data }] }
    })
  })
}

/**
 * `GET /api/events[?since=<signature>]`: server-sent events for the study list. `hello` `{signature}` on connect,
 * then `change` `{signature, studies}` whenever a study was added, deleted or changed (its `id` is the list's
 * signature, see `listSignature`, so a reconnect resumes through `Last-Event-ID`); a page rendered before a change
 * (`since` differs) hears of it at once. The listing is read once per `pollMs` for all open streams together.
 */
export function registerListEventsRoute(app: Hono, ctx: DashboardContext): void {
  app.get('/api/events', async (c) => {
    const raw = c.req.header('last-event-id') ?? c.req.query('since')
    const since = raw !== undefined && /^[0-9a-f]{16}$/.test(raw) ? raw : undefined
    let seen = since ?? listSignature(await ctx.studyList.recentDigests(ctx.pollMs / 2))
    const hello = { event: 'hello', id: seen, data: JSON.stringify({ signature: seen }) }
    return pollingStream(c, ctx, hello, async () => {
      let digests: StudyDigest[]
      try {
        digests = await ctx.studyList.recentDigests(ctx.pollMs / 2)
      } catch (e) {
        return { events: [{ event: 'error', data: JSON.stringify({ message: (e as Error).message }) }] }
      }
      const now = listSignature(digests)
      if (now === seen) return { events: [] }
      seen = now
      return {
        events: [{ event: 'change', id: seen, data: JSON.stringify({ signature: seen, studies: digests.length }) }],
      }
    })
  })
}

/** What one poll of a stream sends, and whether the stream ends after it. */
interface Poll {
  readonly events: readonly SSEMessage[]
  readonly end?: boolean
}

/**
 * An event stream: `hello` first, then `poll` at once and every `pollMs`, sending what it returns (a comment line
 * when the stream has been quiet for PING_MS), until the client leaves, the server shuts down, or a poll ends it.
 */
function pollingStream(c: Context, ctx: DashboardContext, hello: SSEMessage, poll: () => Promise<Poll>): Response {
  return streamSSE(c, async (stream) => {
    const stop = new AbortController()
    const onShutdown = () => stop.abort()
    ctx.signal.addEventListener('abort', onShutdown, { once: true })
    stream.onAbort(() => stop.abort())
    let quietMs = 0
    try {
      await stream.writeSSE(hello)
      while (!stop.signal.aborted) {
        const p = await poll()
        for (const e of p.events) await stream.writeSSE(e)
        if (p.events.length > 0) quietMs = 0
        else if (quietMs >= PING_MS) {
          await stream.write(': ping\n\n')
          quietMs = 0
        }
        if (p.end) return
        await delay(ctx.pollMs, undefined, { signal: stop.signal })
        quietMs += ctx.pollMs
      }
    } catch (e) {
      if (!stop.signal.aborted) throw e
    } finally {
      ctx.signal.removeEventListener('abort', onShutdown)
    }
  })
}
