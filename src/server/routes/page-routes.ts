import type { Context, Hono } from 'hono'
import { type DashboardContext, requireStudy, requireTrial } from '../dashboard-context.ts'
import { LIVE_SCRIPT_PATH } from '../html/layout.ts'
import { renderStudyListFragment, renderStudyListPage } from '../html/study-list-page.ts'
import { renderStudyFragment, renderStudyPage, type StudyView } from '../html/study-page.ts'
import { LOG_FILE_ATTR, renderTrialFragment, renderTrialPage, type TrialView } from '../html/trial-page.ts'
import { pageOfTrials } from '../html/trials-table.ts'
import { LIVE_SCRIPT } from '../live-script.ts'
import { readLogTail } from '../log-tail.ts'
import { parseOrder, parsePage } from '../query.ts'
import type { StudyCache } from '../study-cache.ts'
import { listSignature } from '../study-list.ts'
import { digestOf, reportDataOf } from '../views.ts'

/**
 * The HTML pages: `/` (studies; its live fragment `/fragment`), `/study/:name` (one study; `?page=`, `?sort=number|value`, `?dir=asc|desc`),
 * `/study/:name/trial/:number`, the live fragments the page script swaps in (`…/fragment`), and the script.
 */
export function registerPageRoutes(app: Hono, ctx: DashboardContext): void {
  app.get('/', async (c) => {
    const digests = await ctx.studyList.digests()
    return c.html(renderStudyListPage(ctx.storage.url, digests, listSignature(digests)))
  })
  app.get('/fragment', async (c) => c.html(renderStudyListFragment(ctx.storage.url, await ctx.studyList.digests())))

  app.get('/study/:name', async (c) => c.html(renderStudyPage(await studyView(c, ctx), ctx.storage.url)))
  app.get('/study/:name/fragment', async (c) => c.html(renderStudyFragment(await studyView(c, ctx))))
  app.get('/study/:name/trial/:number', async (c) => c.html(renderTrialPage(await trialView(c, ctx))))
  app.get('/study/:name/trial/:number/fragment', async (c) => c.html(renderTrialFragment(await trialView(c, ctx))))

  app.get(LIVE_SCRIPT_PATH, (c) =>
    c.body(LIVE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  )
}

async function studyView(c: Context, ctx: DashboardContext): Promise<StudyView> {
  // Query first: a bad query is a 400 whatever the study.
  const page = parsePage(c.req.query('page'))
  const order = parseOrder(c.req.query('sort'), c.req.query('dir'))
  const cache = await requireStudy(ctx, c.req.param('name')!)
  const digest = digestOf(cache)
  return {
    digest,
    ...reportDataOf(cache),
    trials: pageOfTrials(cache.trials(), order, cache.info.directions[0], page),
    now: Date.now(),
  }
}

async function trialView(c: Context, ctx: DashboardContext): Promise<TrialView> {
  const cache: StudyCache = await requireStudy(ctx, c.req.param('name')!)
  const trial = requireTrial(cache, c.req.param('number')!)
  const logPath = trial.systemAttrs[LOG_FILE_ATTR]
  const best = digestOf(cache).best
  return {
    study: cache.info,
    trial,
    ...(best ? { bestNumber: best.number } : {}),
    ...(typeof logPath === 'string' ? { logFile: await readLogTail(logPath) } : {}),
    now: Date.now(),
  }
}
