import { WinnowError } from '../../core/errors.ts'

/** Metrics a trial reports: numbers (NaN allowed: it means divergence), plus strings for labels. */
export type Metrics = Readonly<Record<string, number | string | boolean | null>>

/** What a trial sends, over HTTP (`POST /v1/trials/{id}/{type}`) or as a `WINNOW {json}` stdout line. */
export type TrialMessage =
  | { readonly type: 'report'; readonly step: number | undefined; readonly metrics: Metrics }
  | { readonly type: 'checkpoint'; readonly path: string; readonly step: number | undefined }
  | { readonly type: 'complete'; readonly metrics: Metrics }
  | { readonly type: 'fail'; readonly message: string }
  /** Not on the wire: a message that could not be read, so the trial can tell a broken `complete` from none. */
  | { readonly type: 'invalid'; readonly intended: string; readonly error: string }

/** The answer to a report, as sent on the wire. */
export interface WireDecision {
  readonly action: 'continue' | 'prune' | 'pause'
  readonly reason?: string
  readonly rung?: number
}

/** The message types, in the order of the protocol doc. */
export const MESSAGE_TYPES = ['report', 'checkpoint', 'complete', 'fail'] as const

/** Thrown for a payload that breaks the protocol; the endpoint answers 400 with its message. */
export class ProtocolError extends WinnowError {
  constructor(message: string) {
    super('invalid_value', message)
  }
}

/**
 * Checks a decoded payload of the given type and returns the typed message. JSON cannot hold NaN, so the
 * strings "NaN", "Infinity" and "-Infinity" are read as those numbers (the clients send them so).
 */
export function parseMessage(type: string, body: unknown): TrialMessage {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ProtocolError(`A ${type} message must be a JSON object, got ${JSON.stringify(body)?.slice(0, 80)}.`)
  const o = body as Record<string, unknown>
  switch (type) {
    case 'report':
      return { type, step: optionalStep(o.step, type), metrics: metrics(o.metrics ?? withoutKeys(o), type) }
    case 'checkpoint':
      if (typeof o.path !== 'string' || o.path === '')
        throw new ProtocolError(`A checkpoint message needs a non-empty "path" string, got ${JSON.stringify(o.path)}.`)
      return { type, path: o.path, step: optionalStep(o.step, type) }
    case 'complete':
      return { type, metrics: metrics(o.metrics ?? withoutKeys(o), type) }
    case 'fail':
      return { type, message: typeof o.message === 'string' ? o.message : JSON.stringify(o.message ?? 'failed') }
    default:
      throw new ProtocolError(`Unknown message type ${JSON.stringify(type)}; use one of ${MESSAGE_TYPES.join(', ')}.`)
  }
}

/**
 * Parses a `WINNOW {json}` stdout line; undefined for any other line. A malformed one (also `WINNOW [..]`) is
 * reported by `onError` and returned as an `invalid` message naming the type it meant, when that can be read.
 */
export function parseWinnowLine(line: string, onError?: (msg: string) => void): TrialMessage | undefined {
  const m = /^\s*WINNOW\s+([[{].*)$/.exec(line)
  if (m === null) return undefined
  let intended = /"type"\s*:\s*"([a-z]+)"/.exec(m[1])?.[1] ?? 'report'
  try {
    const body = parseJson(m[1].trim())
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const t = (body as Record<string, unknown>).type
      intended = typeof t === 'string' ? t : 'report'
    }
    return parseMessage(intended, body)
  } catch (e) {
    const error = (e as Error).message
    onError?.(`ignored malformed WINNOW line ${JSON.stringify(line.slice(0, 120))}: ${error}`)
    return { type: 'invalid', intended, error }
  }
}

/**
 * JSON.parse that also reads the bare NaN, Infinity and -Infinity Python's `json.dumps` writes by default (a
 * diverged loss) as the strings "NaN", "Infinity", "-Infinity", which metrics read as those numbers.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    const quoted = quoteNonFiniteTokens(text)
    if (quoted === text) throw e
    return JSON.parse(quoted)
  }
}

/** Quotes NaN / Infinity / -Infinity tokens outside strings. */
function quoteNonFiniteTokens(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      out += ch
      if (ch === '\\') out += text[++i] ?? ''
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i))
    if (token !== undefined) {
      out += `"${token}"`
      i += token.length - 1
    } else out += ch
  }
  return out
}

/** Reads a metric value as a number: numbers as is, numeric and "NaN"/"Infinity" strings as those, else undefined. */
export function metricNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (v === 'NaN' || v === 'nan') return Number.NaN
  if (v === 'Infinity' || v === 'inf') return Number.POSITIVE_INFINITY
  if (v === '-Infinity' || v === '-inf') return Number.NEGATIVE_INFINITY
  // "1.5" from a script that formats its numbers: a number, as a user would read it.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return undefined
}

function optionalStep(v: unknown, type: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new ProtocolError(`The "step" of a ${type} message must be a number >= 0, got ${JSON.stringify(v)}.`)
  return v
}

function metrics(v: unknown, type: string): Metrics {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ProtocolError(`The "metrics" of a ${type} message must be an object, got ${JSON.stringify(v)}.`)
  const out: Record<string, number | string | boolean | null> = {}
  for (const [k, x] of Object.entries(v)) {
    const n = metricNumber(x)
    if (n !== undefined) out[k] = n
    else if (typeof x === 'string' || typeof x === 'boolean' || x === null) out[k] = x
    // A report keeps its other metrics (as before); a `complete` is the trial's result and must be whole.
    else if (type === 'complete')
      throw new ProtocolError(
        `The metric ${JSON.stringify(k)} of a ${type} message must be a number (or "NaN" / "Infinity"), a string, a boolean or null, got ${JSON.stringify(x)?.slice(0, 80)}.`,
      )
  }
  return out
}

/** The flat form `{"type":"report","step":1,"eval_loss":2}`: every key but the reserved ones is a metric. */
function withoutKeys(o: Record<string, unknown>): Record<string, unknown> {
  const { type: _t, step: _s, path: _p, message: _m, ...rest } = o
  return rest
}
