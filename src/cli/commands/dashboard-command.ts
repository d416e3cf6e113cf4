import type { Command } from 'commander'
import pc from 'picocolors'
import { UsageError } from '../../core/errors.ts'
import { openStorage } from '../../storage/open-storage.ts'
import { requireExistingStorage, withStorageOption } from '../context.ts'

/** `winnow dashboard`: serves a live, read-only web dashboard of a storage's studies until Ctrl+C. */
export function registerDashboardCommand(program: Command): void {
  withStorageOption(
    program
      .command('dashboard')
      .description('serve a live web dashboard of the studies in a storage (read-only; Ctrl+C stops it)'),
  )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <address>', 'address to listen on; 0.0.0.0 makes it reachable from other machines', '127.0.0.1')
    .action(async (opts: { storage: string; port: string; host: string }) => {
      const port = parsePort(opts.port)
      requireExistingStorage(opts.storage)
      // Loaded here, so other commands do not pay for the HTTP server's modules.
      const { isLoopbackHost, startDashboard } = await import('../../server/serve.ts')
      const storage = await openStorage(opts.storage, { readOnly: true })
      try {
        const dashboard = await startDashboard({
          storage,
          port,
          host: opts.host,
          onError: (e) => process.stderr.write(`${pc.red('dashboard error')}: ${(e as Error)?.stack ?? e}\n`),
        })
        if (!isLoopbackHost(opts.host))
          process.stderr.write(
            `${pc.yellow('warning')}: listening on ${opts.host}, so other machines can open the dashboard; it has no login and shows every study in ${storage.url}. Use --host 127.0.0.1 to keep it on this machine.\n`,
          )
        console.log(`Winnow dashboard of ${storage.url}`)
        console.log(`  ${pc.bold(dashboard.url)}`)
        console.log('Press Ctrl+C to stop.')
        await untilSignal()
        await dashboard.close()
        console.log('Dashboard stopped.')
      } finally {
        await storage.close()
      }
    })
}

/** A port number from the command line: an integer 0–65535. */
function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new UsageError(
      `--port must be an integer from 0 to 65535, got "${raw}". For example --port 8080, or --port 0 for any free port.`,
    )
  return Number(raw)
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(sig)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}
