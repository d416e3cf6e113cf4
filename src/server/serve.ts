import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { UsageError } from '../core/errors.ts'
import type { Storage } from '../core/storage.ts'
import { createDashboardApp } from './app.ts'

/** Options of `startDashboard`. */
export interface StartDashboardOptions {
  readonly storage: Storage
  /** 0 picks a free port. @default 8080 */
  readonly port?: number
  /** The address to listen on. @default '127.0.0.1' (this machine only) */
  readonly host?: string
  /** How often event streams read what changed (ms). @default 1000 */
  readonly pollMs?: number
  /** Receives unexpected errors of requests. @default console.error */
  readonly onError?: (e: unknown) => void
}

/** A running dashboard server. */
export interface RunningDashboard {
  /** The address to open, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string
  /** The address and port the server is bound to. */
  readonly address: AddressInfo
  /** Ends the event streams, closes every connection and stops listening; idempotent. The storage stays open. */
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * Serves the dashboard (see `createDashboardApp`) over HTTP. On a loopback address requests must name a
 * loopback host (a guard against DNS rebinding); a port already in use is a UsageError with a hint.
 */
export async function startDashboard(o: StartDashboardOptions): Promise<RunningDashboard> {
  const host = o.host ?? '127.0.0.1'
  const port = o.port ?? 8080
  const shutdown = new AbortController()
  const loopback = isLoopbackHost(host)
  const app = createDashboardApp({
    storage: o.storage,
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    ...(loopback ? { allowedHosts: ['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host] } : {}),
    signal: shutdown.signal,
    ...(o.onError ? { onError: o.onError } : {}),
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(new UsageError(`Port ${port} on ${host} is in use. Pass another --port, or --port 0 for any free one.`))
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
        reject(new UsageError(`Cannot listen on ${host}: no such address on this machine. Use --host 127.0.0.1.`))
      else reject(e)
    })
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const urlHost = shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown
  let closed: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${address.port}/`,
    address,
    close() {
      closed ??= new Promise<void>((resolve) => {
        shutdown.abort()
        // Event streams end on the abort and leave keep-alive connections idle, which would hold close() open:
        // close idle ones as they appear, and cut whatever is left after a second.
        const idle = setInterval(() => server.closeIdleConnections(), 25)
        const cut = setTimeout(() => server.closeAllConnections(), 1000)
        server.close(() => {
          clearInterval(idle)
          clearTimeout(cut)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closed
    },
  }
}
