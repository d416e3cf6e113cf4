import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ProtocolError, parseJson, parseMessage, type TrialMessage, type WireDecision } from './messages.ts'

/** Handles one message of a trial; report messages return the decision to send back. */
export type MessageHandler = (msg: TrialMessage) => Promise<WireDecision | undefined>

/** What a trial needs to reach the endpoint: put these in its environment. */
export interface TrialRegistration {
  /** `http://127.0.0.1:PORT/v1/trials/ID`; clients POST to `${url}/report`, `/checkpoint`, `/complete`, `/fail`. */
  readonly url: string
  /** Per-trial secret, sent as `Authorization: Bearer TOKEN`. */
  readonly token: string
}

const MAX_BODY = 1 << 20

/**
 * The trial protocol's HTTP endpoint: one per runner, on 127.0.0.1 only, on a random free port. Each trial
 * attempt is registered with its own random token; a request with a wrong or missing token is answered 401
 * and records nothing, so another local user cannot report into a study.
 *
 * Wire format: `POST /v1/trials/{id}/report {step, metrics}` → `{decision: {action, reason?, rung?}}`;
 * `/checkpoint {path, step?}`, `/complete {metrics}`, `/fail {message}` → `{ok: true}`.
 */
export class ProtocolEndpoint {
  private readonly trials = new Map<string, { token: Buffer; handler: MessageHandler }>()

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT` */
    readonly url: string,
  ) {}

  /** Starts listening on 127.0.0.1 at a free port. */
  static async start(): Promise<ProtocolEndpoint> {
    let endpoint: ProtocolEndpoint | undefined
    const server = createServer((req, res) => {
      endpoint?.handle(req, res).catch((e) => reply(res, 500, { error: String(e) }))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = server.address() as AddressInfo
    endpoint = new ProtocolEndpoint(server, `http://127.0.0.1:${port}`)
    return endpoint
  }

  /** Registers a trial attempt; messages for `id` go to `handler` until `unregister(id)`. */
  register(id: string, handler: MessageHandler): TrialRegistration {
    const token = randomBytes(24).toString('hex')
    this.trials.set(id, { token: Buffer.from(token), handler })
    return { url: `${this.url}/v1/trials/${encodeURIComponent(id)}`, token }
  }

  /** Stops accepting messages for a trial attempt. */
  unregister(id: string): void {
    this.trials.delete(id)
  }

  /** Stops the server; open keep-alive connections are closed. */
  async close(): Promise<void> {
    this.server.closeAllConnections?.()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/v1\/trials\/([^/]+)\/([a-z]+)\/?$/.exec(req.url ?? '')
    if (m === null || req.method !== 'POST')
      return reply(res, 404, { error: `No route ${req.method} ${req.url}; POST /v1/trials/{id}/report is one.` })
    const id = decodeURIComponent(m[1])
    const entry = this.trials.get(id)
    const auth = req.headers.authorization ?? ''
    const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '')
    // Same answer for an unknown trial and a wrong token: a caller without the token learns nothing.
    if (entry === undefined || given.length !== entry.token.length || !timingSafeEqual(given, entry.token)) {
      req.resume()
      return reply(res, 401, { error: 'Missing or wrong token for this trial; use WINNOW_TOKEN as a Bearer token.' })
    }
    let msg: TrialMessage
    try {
      const text = (await readBody(req)) || '{}'
      let body: unknown
      try {
        body = parseJson(text)
      } catch (e) {
        throw new ProtocolError(`Body is not JSON: ${(e as Error).message}`)
      }
      msg = parseMessage(m[2], body)
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e
      // The trial hears 400; its attempt hears what it meant to send (a broken `complete` fails the trial).
      await entry.handler({ type: 'invalid', intended: m[2], error: e.message })
      return reply(res, 400, { error: e.message })
    }
    const decision = await entry.handler(msg)
    reply(res, 200, msg.type === 'report' ? { decision: decision ?? { action: 'continue' } } : { ok: true })
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new ProtocolError(`Body over ${MAX_BODY} bytes; report metrics, not data.`))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
