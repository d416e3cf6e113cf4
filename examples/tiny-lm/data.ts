import { Rng } from './rng.ts'

/**
 * Procedural string-operation tasks, one example per row: `<op>:<input>=<answer>\n`, left-aligned and padded.
 * Pretraining mixes six operations; the fine-tuning task `rev` (reversal) never appears in pretraining, but the
 * row format does, because a base pretrained on packed text did not transfer (feasibility study).
 */

/** Token 0 is padding; '\n' ends every answer. The vocabulary is padded to a multiple of 8 for the SIMD matmuls. */
export const CHARS = '\0\n:=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
/** Vocabulary size used by the model (CHARS.length rounded up to 8; the extra ids never occur). */
export const VOCAB = (CHARS.length + 7) & ~7
const ID = new Map([...CHARS].map((ch, i) => [ch, i]))

/** String operations: name -> function. The first six are pretraining ops, `rev` is the downstream task. */
export const OPS: Record<string, (s: string) => string> = {
  cpy: (s) => s,
  upp: (s) => s.toUpperCase(),
  shf: (s) => [...s].map((c) => String.fromCharCode(97 + ((c.charCodeAt(0) - 96) % 26))).join(''),
  srt: (s) => [...s].sort().join(''),
  rtl: (s) => s.slice(1) + s.slice(0, 1),
  rtr: (s) => s.slice(-1) + s.slice(0, -1),
  rev: (s) => [...s].reverse().join(''),
}
/** The operations of the pretraining mix. */
export const PRETRAIN_OPS = ['cpy', 'upp', 'shf', 'srt', 'rtl', 'rtr']

/** Context length needed for strings up to `maxLen` chars: `op:` + s + `=` + answer + `\n`, rounded up to 8. */
export function seqLenFor(maxLen: number): number {
  return (2 * maxLen + 6 + 7) & ~7
}

/** A tokenised set of rows: tokens[row*T+t], targets (next token, -1 where no loss), row count and length. */
export interface Batch {
  tokens: Int32Array
  targets: Int32Array
  rows: number
  T: number
}

/** Formats one example as text. */
export function formatExample(op: string, s: string): string {
  return `${op}:${s}=${OPS[op](s)}\n`
}

/** Random lowercase string with length uniform in [minLen, maxLen]. */
export function randomString(rng: Rng, minLen: number, maxLen: number): string {
  const n = minLen + rng.int(maxLen - minLen + 1)
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + rng.int(26))
  return s
}

/** Tokenises example rows into a batch; only positions predicting the answer (after '=') carry a target. */
export function encodeRows(rows: readonly string[], T: number): Batch {
  const tokens = new Int32Array(rows.length * T)
  const targets = new Int32Array(rows.length * T).fill(-1)
  rows.forEach((text, r) => {
    if (text.length > T) throw new Error(`Example "${text.trim()}" has ${text.length} chars, more than T=${T}.`)
    for (let t = 0; t < text.length; t++) tokens[r * T + t] = ID.get(text[t]) ?? 0
    for (let t = text.indexOf('='); t < text.length - 1; t++) targets[r * T + t] = tokens[r * T + t + 1]
  })
  return { tokens, targets, rows: rows.length, T }
}

/** Copies the given rows of `src` into a new batch (for minibatches of a tokenised data set). */
export function gatherRows(src: Batch, rows: ArrayLike<number>): Batch {
  const T = src.T
  const out: Batch = {
    tokens: new Int32Array(rows.length * T),
    targets: new Int32Array(rows.length * T),
    rows: rows.length,
    T,
  }
  for (let i = 0; i < rows.length; i++) {
    out.tokens.set(src.tokens.subarray(rows[i] * T, rows[i] * T + T), i * T)
    out.targets.set(src.targets.subarray(rows[i] * T, rows[i] * T + T), i * T)
  }
  return out
}

/** The fine-tuning data: a fixed training pool and a disjoint held-out evaluation set (data seed fixed). */
export interface TaskData {
  train: Batch
  eval: Batch
}

/** Builds the reversal task for strings of `minLen..maxLen` chars; independent of the trial seed. */
export function makeReversalTask(opts: {
  trainSize: number
  evalSize: number
  minLen: number
  maxLen: number
}): TaskData {
  const rng = new Rng(20240917)
  const seen = new Set<string>()
  const draw = (n: number): string[] => {
    const out: string[] = []
    while (out.length < n) {
      const s = randomString(rng, opts.minLen, opts.maxLen)
      if (seen.has(s)) continue
      seen.add(s)
      out.push(formatExample('rev', s))
    }
    return out
  }
  const T = seqLenFor(opts.maxLen)
  // Always draw at least 256 evaluation strings first, so the training pool does not depend on evalSize.
  const evalRows = draw(Math.max(opts.evalSize, 256)).slice(0, opts.evalSize)
  return { eval: encodeRows(evalRows, T), train: encodeRows(draw(opts.trainSize), T) }
}

/** One random pretraining batch: ops drawn uniformly from PRETRAIN_OPS, lengths from minLen..maxLen. */
export function pretrainBatch(rng: Rng, rows: number, minLen: number, maxLen: number): Batch {
  const texts: string[] = []
  for (let i = 0; i < rows; i++) {
    texts.push(formatExample(PRETRAIN_OPS[rng.int(PRETRAIN_OPS.length)], randomString(rng, minLen, maxLen)))
  }
  return encodeRows(texts, seqLenFor(maxLen))
}
