import { setMaxListeners } from 'node:events'
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { WinnowError } from '../core/errors.ts'
import type { Storage } from '../core/storage.ts'
import type { DashboardContext } from './dashboard-context.ts'
import { renderErrorPage } from './html/error-page.ts'
import { PAGE_CSP } from './html/layout.ts'
import { registerApiRoutes } from './routes/api-routes.ts'
import { registerEventsRoute, registerListEventsRoute } from './routes/events-route.ts'
import { registerPageRoutes } from './routes/page-routes.ts'
import { StudyCaches } from './study-cache.ts'
import { StudyList } from './study-list.ts'

/** Options of `createDashboardApp`. */
export interface DashboardAppOptions {
  /** The storage to show; the dashboard only reads it. */
  readonly storage: Storage
  /** How often an event stream reads what changed in its study (ms). @default 1000 */
  readonly pollMs?: number
  /**
   * Hostnames a request's Host header may name; others get 403. Set when serving on loopback, so a web page
   * that re-binds its DNS name to 127.0.0.1 cannot read the dashboard. @default any host
   */
  readonly allowedHosts?: readonly string[]
  /** Ends every event stream when aborted (server shutdown). */
  readonly signal?: AbortSignal
  /** Receives unexpected errors (answered with HTTP 500). @default console.error */
  readonly onError?: (e: unknown) => void
}

/**
 * Builds the dashboard's Hono app: HTML pages, the read-only JSON API and the per-study event streams (see the
 * route files). Errors map to statuses: a bad query or path value → 400, an unknown study or trial → 404, a
 * Host that is not allowed → 403, a method other than GET or HEAD → 405, each with a message; pages get an HTML
 * error page, `/api/*` gets `{ error: { code, message } }`. Test it without a port through `app.request(path)`;
 * serve it with `startDashboard`.
 *
 * @example
 * const app = createDashboardApp({ storage: await openStorage('sqlite:winnow.db') })
 * const res = await app.request('/api/studies')
 */
export function createDashboardApp(o: DashboardAppOptions): Hono {
  const caches = new StudyCaches(o.storage)
  const ctx: DashboardContext = {
    storage: o.storage,
    caches,
    studyList: new StudyList(o.storage, caches),
    pollMs: o.pollMs ?? 1000,
    signal: streamsSignal(o.signal),
  }
  const app = new Hono()
  const allowed = o.allowedHosts && new Set(o.allowedHosts.map((x) => x.toLowerCase()))
  // Outermost, so every answer gets these headers, the guard's refusals included.
  app.use(async (c, next) => {
    await next()
    c.header('cache-control', 'no-store', { append: false })
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('content-security-policy', PAGE_CSP)
  })
  app.use(async (c, next) => {
    if (allowed !== undefined) {
      // The node adapter builds the request URL from the Host header.
      const host = new URL(c.req.url).hostname.toLowerCase()
      if (!allowed.has(host))
        return fail(
          c,
          403,
          'forbidden',
          `Host "${host}" is not served here. Open the dashboard through the address it printed.`,
        )
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('allow', 'GET, HEAD')
      return fail(
        c,
        405,
        'method_not_allowed',
        `The dashboard is read-only: ${c.req.method} ${c.req.path} is not served. Use GET; studies change through winnow tune or the library.`,
      )
    }
    await next()
  })
  registerPageRoutes(app, ctx)
  registerApiRoutes(app, ctx)
  registerEventsRoute(app, ctx)
  registerListEventsRoute(app, ctx)
  app.notFound((c) => fail(c, 404, 'not_found', `There is no page at ${c.req.path}. The studies are listed at /.`))
  app.onError((e, c) => {
    if (e instanceof WinnowError) {
      const status = e.code === 'usage' ? 400 : e.code === 'study_not_found' || e.code === 'trial_not_found' ? 404 : 500
      if (status === 500) (o.onError ?? console.error)(e)
      return fail(c, status, e.code, e.message)
    }
    ;(o.onError ?? console.error)(e)
    return fail(c, 500, 'internal', `The dashboard failed to answer: ${e.message}. The server log has the details.`)
  })
  return app
}

/**
 * The signal every event stream of one app listens to: aborted with `signal`. Each open stream adds a listener,
 * so it has no listener limit (Node warns of a leak past 10, i.e. at the eleventh open page).
 */
function streamsSignal(signal: AbortSignal | undefined): AbortSignal {
  const shutdown = new AbortController()
  setMaxListeners(0, shutdown.signal)
  if (signal?.aborted) shutdown.abort()
  else signal?.addEventListener('abort', () => shutdown.abort(), { once: true })
  return shutdown.signal
}

function fail(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  if (c.req.path.startsWith('/api/')) return c.json({ error: { code, message } }, status)
  return c.html(renderErrorPage(status, message), status)
}
