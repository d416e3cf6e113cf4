import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { Command, CommanderError } from 'commander'
import pc from 'picocolors'
import { WinnowError } from '../core/errors.ts'
import { winnowVersion } from '../report/reproducibility.ts'
import { registerDashboardCommand } from './commands/dashboard-command.ts'
import { registerDemoCommand } from './commands/demo-command.ts'
import { registerFocusCommand } from './commands/focus-command.ts'
import { registerImportanceCommand } from './commands/importance-command.ts'
import { registerInitCommand } from './commands/init-command.ts'
import { registerMemoryCommand } from './commands/memory-command.ts'
import { registerReportCommand } from './commands/report-command.ts'
import { registerStudyCommands } from './commands/study-commands.ts'
import { registerTuneCommands } from './commands/tune-commands.ts'
import { stopActiveRuns } from './run-study.ts'
import { studyFileArgument } from './study-file-argument.ts'

/**
 * The `winnow` command line: the one composition root. It parses flags, builds storage, samplers,
 * schedulers and runners, and calls them; nothing else in the code base reads argv or the environment.
 */
export function buildProgram(): Command {
  const program = new Command('winnow')
    .description('Efficient hyperparameter tuning for LLM fine-tuning.')
    .version(winnowVersion(), '-V, --version', 'print the version of Winnow')
    .option('--debug', 'show stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (_program, command) => studyFileArgument(command))
  registerDemoCommand(program)
  registerInitCommand(program)
  registerMemoryCommand(program)
  registerStudyCommands(program)
  registerTuneCommands(program)
  registerImportanceCommand(program)
  registerFocusCommand(program)
  registerReportCommand(program)
  registerDashboardCommand(program)
  return program
}

/** Runs the CLI; a usage or config error prints one line and exits 2, a storage error 3, anything unexpected 1. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv as string[], { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2
    const debug = argv.includes('--debug')
    if (e instanceof WinnowError) {
      process.stderr.write(`${pc.red('error')}: ${e.message}\n`)
      if (debug && e.stack) process.stderr.write(`${e.stack}\n`)
      // 3: the storage could not be reached or used (a server down, a locked file) — not the trials' fault (1).
      if (e.code === 'storage') return 3
      return e.code === 'usage' ||
        e.code === 'invalid_config' ||
        e.code === 'study_not_found' ||
        e.code === 'study_exists' ||
        e.code === 'not_enough_trials'
        ? 2
        : 1
    }
    process.stderr.write(`${pc.red('unexpected error')}: ${e instanceof Error ? e.message : String(e)}\n`)
    if (debug) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`)
    else process.stderr.write('Run again with --debug to see the stack trace, and please report it.\n')
    return 1
  }
}

/** Runs the CLI and sets the exit status; a status a command already set (e.g. 1 for failed trials) is kept. */
export async function run(argv: readonly string[]): Promise<void> {
  // `winnow trials big | head`: the reader went away. A command that only prints ends quietly, as other Unix tools
  // do, not with a stack trace; a run in progress (`winnow tune … | head`) stops as on Ctrl-C — its trials end and
  // are re-queued, nothing is lost — instead of dying and leaving training processes behind.
  let brokenPipe = false
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e
      if (brokenPipe) return
      brokenPipe = true
      if (!stopActiveRuns('EPIPE')) process.exit(Number(process.exitCode ?? 0))
    })
  const code = await main(argv)
  process.exitCode = Math.max(code, Number(process.exitCode ?? 0))
}

// `node --import tsx src/cli/main.ts …` (the npm scripts); bin/winnow.js calls run() itself, so the command works
// through any symlink to it (npm link, node_modules/.bin).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href)
  await run(process.argv.slice(2))
