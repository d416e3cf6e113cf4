import type { Hono } from 'hono'
import { type DashboardContext, requireStudy, requireStudyInfo } from '../dashboard-context.ts'
import { parseSince } from '../query.ts'
import { digestOf, reportDataOf } from '../views.ts'

/**
 * The read-only JSON API:
 * - `GET /api/studies` → `{ studies: StudyDigest[] }`
 * - `GET /api/studies/:name` → one `StudyDigest` plus attributes, baseline-vs-best rows, importance, compute
 *   used / saved and the rank-transfer verdict
 * - `GET /api/studies/:name/trials[?since=<version>]` → `{ version, trials: FrozenTrial[] }`: every trial, or with
 *   `since` only those changed after that version (pass the `version` of the previous answer), read from storage
 *   with one incremental query.
 * Errors are `{ error: { code, message } }` with status 400 or 404 (see app.ts).
 */
export function registerApiRoutes(app: Hono, ctx: DashboardContext): void {
  app.get('/api/studies', async (c) => c.json({ studies: await ctx.studyList.digests() }))

  app.get('/api/studies/:name', async (c) => {
    const cache = await requireStudy(ctx, c.req.param('name'))
    const { data: d, fresh } = reportDataOf(cache)
    const rt = d.rankTransfer
    return c.json({
      ...digestOf(cache),
      userAttrs: cache.info.userAttrs,
      systemAttrs: cache.info.systemAttrs,
      comparison: d.comparison,
      importance: d.importance,
      cost: d.cost ?? null,
      /** False while a big, busy study's analyses (importance, cost, rank transfer) lag a few versions behind. */
      analysisFresh: fresh,
      rankTransfer: rt
        ? {
            kind: rt.kind,
            low: rt.low,
            high: rt.high,
            ...rt.result,
            ladder: rt.ladder.map((l) => ({ low: l.low, high: l.high, ...l.result })),
          }
        : null,
    })
  })

  app.get('/api/studies/:name/trials', async (c) => {
    const since = parseSince(c.req.query('since'))
    const info = await requireStudyInfo(ctx, c.req.param('name'))
    // Straight from storage: with `since` this is the storage's incremental read, nothing else.
    const changes = await ctx.storage.listTrials(info.id, since === undefined ? {} : { sinceVersion: since })
    return c.json({ version: changes.version, trials: changes.trials })
  })
}
