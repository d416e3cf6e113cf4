// Opens a report in headless Chromium with every network request blocked and recorded, and saves a full-page
// screenshot: `node --import tsx scripts/report-screenshot.ts report.html out.png`. Prints what it saw.
import { pathToFileURL } from 'node:url'
import { launchChromium } from './chromium.ts'

const [file, png] = process.argv.slice(2)
if (!file || !png) {
  console.error('usage: report-screenshot.ts <report.html> <out.png>')
  process.exit(2)
}
const browser = await launchChromium()
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
  const url = pathToFileURL(file).href
  const requests: string[] = []
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.route('**/*', (route) => {
    const u = route.request().url()
    if (u === url) return route.continue()
    requests.push(u)
    return route.abort()
  })
  await page.goto(url)
  await page.screenshot({ path: png, fullPage: true })
  console.log(JSON.stringify({ png, otherRequests: requests, consoleErrors: errors }))
} finally {
  await browser.close()
}
