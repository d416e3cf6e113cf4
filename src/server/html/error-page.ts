import { escapeHtml as h } from '../../report/escape.ts'
import { renderPage } from './layout.ts'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  500: 'Dashboard error',
}

/** An error page: the status, the message (escaped: it may quote a study name or a query value), a way back. */
export function renderErrorPage(status: number, message: string): string {
  const title = TITLES[status] ?? `Error ${status}`
  return renderPage({
    title: `${title} · Winnow dashboard`,
    body: `<p class="crumbs"><a href="/">All studies</a></p><header><h1>${h(title)} <span class="tag">${status}</span></h1></header>
<p class="note" id="error-message">${h(message)}</p>`,
  })
}
