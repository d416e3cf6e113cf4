/** Lines that name an error: Python's `ValueError: …`, Node's `TypeError: …`, `RuntimeError: CUDA error …`, `error: …`. */
const NAMES_AN_ERROR = /^\s*(?:[\w.]*(?:Error|Exception)\b|error\b|fatal\b)/i
/** Lines that never say what went wrong: stack frames, caret markers, the runtime's version banner. */
const NOISE = /^\s*(?:at\s|File "|\^+\s*$|Node\.js v\d)/

/**
 * The line of a crashed trial's output that says what went wrong: the last one that names an error, else the last
 * that is not a stack frame or a banner, else the last non-empty one. Why not simply the last line: Node prints
 * `Node.js v20.20.2` after an uncaught error, so failures read "exit code 1: Node.js v20.20.2".
 */
export function errorLine(tail: readonly string[]): string | undefined {
  const lines = tail.filter((l) => l.trim() !== '').reverse()
  return lines.find((l) => NAMES_AN_ERROR.test(l)) ?? lines.find((l) => !NOISE.test(l)) ?? lines[0]
}
