import type { MetricsSource } from '../options.ts'
import { parseWinnowLine, type TrialMessage } from './messages.ts'
import { StdoutMetricParser } from './stdout-metrics.ts'

/**
 * Turns a trial's output lines into protocol messages: `WINNOW {json}` lines on stdout (unless the protocol is
 * 'none') and, for unmodified scripts, lines matching the user's metric pattern (stdout or stderr).
 */
export function outputLineHandler(
  source: MetricsSource | undefined,
  deliver: (msg: TrialMessage) => Promise<unknown>,
  warn: (message: string) => void,
): (line: string, stream: 'stdout' | 'stderr') => void {
  const parser =
    source?.stdoutPattern !== undefined ? new StdoutMetricParser(source.stdoutPattern, source.stepPattern) : undefined
  const useLines = (source?.protocol ?? 'http') !== 'none'
  const send = (msg: TrialMessage) => void deliver(msg).catch((e) => warn(String(e)))
  return (line, stream) => {
    const msg = useLines && stream === 'stdout' ? parseWinnowLine(line, warn) : undefined
    if (msg !== undefined) send(msg)
    const parsed = parser?.line(line)
    if (parsed !== undefined) send({ type: 'report', step: parsed.step, metrics: parsed.metrics })
  }
}
