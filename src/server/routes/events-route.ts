import { setTimeout as delay } from 'node:timers/promises'
import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { StudyNotFoundError } from '../../core/errors.ts'
import { type DashboardContext, requireStudy } from '../dashboard-context.ts'
import { parseSince } from '../query.ts'
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
    return streamSSE(c, async (stream) => {
      const stop = new AbortController()
      const onShutdown = () => stop.abort()
      ctx.signal.addEventListener('abort', onShutdown, { once: true })
      stream.onAbort(() => stop.abort())
      let seen = since ?? cache.version
      let quietMs = 0
      try {
        await stream.writeSSE({ event: 'hello', id: String(seen), data: JSON.stringify({ version: cache.version }) })
        while (!stop.signal.aborted) {
          if (cache.version > seen) {
            const changed = cache.changedSince(seen).map((t) => t.number)
            seen = cache.version
            const d = digestOf(cache)
            const data = JSON.stringify({ version: seen, changed, counts: d.counts, total: d.total })
            await stream.writeSSE({ event: 'change', id: String(seen), data })
            quietMs = 0
          } else if (quietMs >= PING_MS) {
            await stream.write(': ping\n\n')
            quietMs = 0
          }
          await delay(ctx.pollMs, undefined, { signal: stop.signal })
          quietMs += ctx.pollMs
          try {
            await cache.refresh(ctx.pollMs / 2)
          } catch (e) {
            if (e instanceof StudyNotFoundError) {
              await stream.writeSSE({ event: 'gone', data: JSON.stringify({ name: cache.info.name }) })
              return
            }
            await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: (e as Error).message }) })
          }
        }
      } catch (e) {
        if (!stop.signal.aborted) throw e
      } finally {
        ctx.signal.removeEventListener('abort', onShutdown)
      }
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
    return streamSSE(c, async (stream) => {
      const stop = new AbortController()
      const onShutdown = () => stop.abort()
      ctx.signal.addEventListener('abort', onShutdown, { once: true })
      stream.onAbort(() => stop.abort())
      let quietMs = 0
      try {
        await stream.writeSSE({ event: 'hello', id: seen, data: JSON.stringify({ signature: seen }) })
        while (!stop.signal.aborted) {
          let digests: Awaited<ReturnType<typeof ctx.studyList.digests>> | undefined
          try {
            digests = await ctx.studyList.recentDigests(ctx.pollMs / 2)
          } catch (e) {
            await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: (e as Error).message }) })
          }
          const now = digests && listSignature(digests)
          if (now !== undefined && now !== seen) {
            seen = now
            await stream.writeSSE({
              event: 'change',
              id: seen,
              data: JSON.stringify({ signature: seen, studies: digests!.length }),
            })
            quietMs = 0
          } else if (quietMs >= PING_MS) {
            await stream.write(': ping\n\n')
            quietMs = 0
          }
          await delay(ctx.pollMs, undefined, { signal: stop.signal })
          quietMs += ctx.pollMs
        }
      } catch (e) {
        if (!stop.signal.aborted) throw e
      } finally {
        ctx.signal.removeEventListener('abort', onShutdown)
      }
    })
  })
}
