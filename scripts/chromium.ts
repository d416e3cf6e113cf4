// Headless Debian Chromium through playwright-core, with the flags this closed network needs (no background
// networking, no component updates, no QUIC) — shared by the report screenshot test and script.
import { type Browser, chromium } from 'playwright-core'

/** Where Chromium is: $CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium'

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}
