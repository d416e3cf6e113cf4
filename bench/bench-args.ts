import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from '../src/core/errors.ts'

/**
 * A benchmark's flags: `--help` prints `usage` and exits; an unknown or malformed flag is a UsageError that shows
 * `usage` (the mains print it as one message, exit 2) instead of a parse stack trace.
 */
export function benchArgs<O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage)
    process.exit(0)
  }
  try {
    return parseArgs<{ options: O }>({ options }).values
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${usage}`)
  }
}
