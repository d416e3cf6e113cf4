import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import { StringDecoder } from 'node:string_decoder'

/** How many log lines an exit record keeps. */
export const LOG_TAIL_LINES = 50
/** A stored tail line is cut at this many characters: the tail lives in the trial's record, the log file has all. */
export const TAIL_LINE_CHARS = 1000
/** Lines longer than this are cut before parsing (a progress bar without newlines must not eat memory). */
const MAX_LINE = 64 * 1024
/**
 * Bytes of an attempt's output written to its log file; past that, output is still parsed for metrics and kept in
 * the tail, but no longer written (a progress bar redrawn without newlines filled 300 MB in minutes).
 */
export const MAX_LOG_BYTES = 64 * 1024 * 1024

/**
 * Appends a trial's stdout and stderr to its log file and splits them into lines for parsing, keeping the
 * last lines for the exit record. Each stream keeps its own partial line so interleaved writes stay whole.
 */
export class LogCapture {
  private readonly file: WriteStream
  private readonly tail: string[] = []
  private readonly partial = { stdout: '', stderr: '' }
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }

  private written = 0

  constructor(
    path: string,
    private readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void,
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {
    mkdirSync(dirname(path), { recursive: true })
    this.file = createWriteStream(path, { flags: 'a' })
    // A full disk must not crash the runner; the trial's own exit status still tells what happened.
    this.file.on('error', () => {})
  }

  /** Feeds a chunk of one stream. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.written < this.maxBytes) {
      const room = this.maxBytes - this.written
      this.file.write(chunk.length <= room ? chunk : chunk.subarray(0, room))
      this.written += chunk.length
      if (this.written >= this.maxBytes)
        this.file.write(
          `\n[winnow] log cut at ${this.maxBytes >= 1 << 20 ? `${Math.round(this.maxBytes / (1 << 20))} MiB` : `${this.maxBytes} bytes`}: later output is still read for metrics, and its last lines are kept with the trial (winnow trials <study> --logs)\n`,
        )
    }
    let text = this.partial[stream] + this.decoders[stream].write(chunk)
    let nl = text.indexOf('\n')
    while (nl >= 0) {
      this.line(text.slice(0, nl), stream)
      text = text.slice(nl + 1)
      nl = text.indexOf('\n')
    }
    this.partial[stream] = text.length > MAX_LINE ? text.slice(-MAX_LINE) : text
  }

  /** Adds a line written by Winnow itself (e.g. why it ended the trial). */
  note(text: string): void {
    const line = `[winnow] ${text}`
    this.file.write(`${line}\n`)
    this.pushTail(line)
  }

  /** Flushes partial lines and closes the file. */
  async close(): Promise<void> {
    for (const s of ['stdout', 'stderr'] as const) {
      const rest = this.partial[s] + this.decoders[s].end()
      this.partial[s] = ''
      if (rest.length > 0) this.line(rest, s)
    }
    await new Promise<void>((resolve) => this.file.end(resolve))
  }

  /** The last lines seen. */
  lastLines(): string[] {
    return [...this.tail]
  }

  private line(raw: string, stream: 'stdout' | 'stderr'): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    this.pushTail(line)
    this.onLine(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line, stream)
  }

  private pushTail(line: string): void {
    // Progress bars redraw with \r: keep only what follows the last one.
    const cr = line.lastIndexOf('\r')
    const shown = cr >= 0 ? line.slice(cr + 1) : line
    this.tail.push(
      shown.length > TAIL_LINE_CHARS
        ? `${shown.slice(0, TAIL_LINE_CHARS)} … (${shown.length - TAIL_LINE_CHARS} more characters in the log file)`
        : shown,
    )
    if (this.tail.length > LOG_TAIL_LINES) this.tail.shift()
  }
}
