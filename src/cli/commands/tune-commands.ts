import type { Command } from 'commander'
import { loadStudyFile, parseStudyFile } from '../../config/index.ts'
import { UsageError } from '../../core/errors.ts'
import { pointsNotRun, trialsCounted } from '../../runner/budget.ts'
import { DEFAULT_STALE_AFTER_SECONDS } from '../../runner/options.ts'
import { howTheyResume } from '../../runner/progress.ts'
import { trialsWithoutWorker } from '../../runner/recovery.ts'
import { requireStudy, studyArgs, usingStorage, withStorageOption } from '../context.ts'
import { formatDuration } from '../format.ts'
import { type RunOverrides, type RunResult, runStudyFile } from '../run-study.ts'
import { summarizeStudy } from '../study-summary.ts'
import { positiveInt } from './study-commands.ts'

interface TuneFlags {
  storage?: string
  trials?: number
  concurrency?: number
  seed?: number
  quiet?: boolean
}

/** `winnow tune`, `winnow worker` and `winnow status`: run a study and watch it. */
export function registerTuneCommands(program: Command): void {
  program
    .command('tune <study-file>')
    .description('run (or continue) the study described by a study file')
    .option('-s, --storage <url>', 'storage URL (overrides the study file)')
    .option('-n, --trials <n>', 'stop after this many trials in the study (overrides budget.trials)', (v) =>
      positiveInt(v, '--trials'),
    )
    .option('-j, --concurrency <n>', 'trials at once (overrides resources.concurrency)', (v) =>
      positiveInt(v, '--concurrency'),
    )
    .option('--seed <n>', 'seed of a new study', (v) => nonNegativeInt(v, '--seed'))
    .option('-q, --quiet', 'line-by-line progress even on a terminal')
    .action(async (file: string, flags: TuneFlags) => {
      const config = loadStudyFile(file)
      const ref = studyArgs({
        name: config.name,
        file,
        storage: flags.storage ?? config.storage,
        storageGiven: flags.storage !== undefined,
      })
      await printResult(await runStudyFile(config, flags), ref)
    })

  program
    .command('worker')
    .description('join a study as one more worker (any machine that reaches its storage)')
    .requiredOption('--study <name>', 'study name')
    .requiredOption('-s, --storage <url>', 'storage URL shared by the workers, e.g. postgres://user@host/db')
    .option('-n, --trials <n>', 'stop once the study has this many trials (overrides the stored budget.trials)', (v) =>
      positiveInt(v, '--trials'),
    )
    .option('-j, --concurrency <n>', 'trials at once on this worker', (v) => positiveInt(v, '--concurrency'))
    .option('-q, --quiet', 'line-by-line progress')
    .action(async (flags: { study: string; storage: string } & RunOverrides) => {
      const config = await usingStorage(flags.storage, async (storage) => {
        const info = await requireStudy(storage, flags.study)
        const text = info.systemAttrs.studyFileText
        const file = info.systemAttrs.studyFile
        if (typeof text !== 'string' || typeof file !== 'string')
          throw new UsageError(
            `Study "${flags.study}" was not created by \`winnow tune\`, so it has no study file to run. Start it with \`winnow tune study.yaml --storage ${flags.storage}\`.`,
          )
        return parseStudyFile(text, file)
      })
      const ref = studyArgs({ name: flags.study, storage: flags.storage })
      await printResult(await runStudyFile(config, { ...flags, fromStoredRecord: true }), ref)
    })

  withStorageOption(
    program.command('status <study>').description('progress, best vs baseline, compute saved, rank transfer'),
  ).action(async (name: string, flags: { storage: string }, cmd: Command) =>
    usingStorage(flags.storage, async (storage) => {
      const info = await requireStudy(storage, name)
      const { trials } = await storage.listTrials(info.id)
      // `winnow status study.yaml` (see study-file-argument.ts) suggests commands with the file, as typed.
      const typed = cmd.args[0]
      const ref = studyArgs({
        name,
        ...(typed !== name ? { file: typed } : {}),
        storage: flags.storage,
        storageGiven: cmd.getOptionValueSource('storage') === 'cli',
      })
      for (const line of summarizeStudy(info, trials, ref)) console.log(line)
      const orphaned = trialsWithoutWorker(trials, DEFAULT_STALE_AFTER_SECONDS * 1000)
      if (orphaned.length > 0)
        console.log(
          `${orphaned.length === 1 ? `Running trial #${orphaned[0].number} has` : `Running trials ${orphaned.map((t) => `#${t.number}`).join(', ')} have`} no live worker (it died or stopped sending heartbeats): \`winnow tune\` with the study file, or \`winnow worker\`, re-queues ${orphaned.length === 1 ? 'it' : 'them'}; ${howTheyResume(
            orphaned.map((t) => t.number),
            orphaned.filter((t) => typeof t.systemAttrs.checkpoint !== 'string').map((t) => t.number),
          )}.`,
        )
    }),
  )
}

/**
 * Prints the end-of-run summary and closes the storage. `studyArg` names the study in the commands it suggests (see
 * `studyArgs`); by default its name, with `--storage` unless that is the default.
 */
export async function printResult(result: RunResult, studyArg?: string): Promise<void> {
  try {
    const { summary, study } = result
    console.log('')
    if (summary.stoppedBy === 'failing') {
      // The failed trials count toward the budget: with it used up, "run again" alone would run nothing.
      const count = trialsCounted(await study.trials())
      const again =
        result.trialBudget !== undefined && count >= result.trialBudget
          ? `run again with --trials N, N > ${count} (the failed trials count toward the trial budget of ${result.trialBudget})`
          : 'run the same command again'
      console.error(
        `error: the first ${summary.failed} trials all failed the same way, so no more were launched: ${summary.failing?.replace(/\.$/, '')}. Fix this and ${again}; the study continues. Full logs in .winnow/logs/${study.name}/; the summary below says how to see their output.`,
      )
      process.exitCode = 1
    } else if (summary.stoppedBy === 'aborted') {
      // Ctrl-C: 130 (128 + SIGINT), like any command; a broken output pipe: 141 (SIGPIPE). A supervisor's SIGTERM
      // (systemd, Kubernetes, Slurm's scancel) asked for this clean stop: 0. The same command continues the study.
      process.exitCode = result.stoppedBy === 'SIGTERM' ? 0 : result.stoppedBy === 'EPIPE' ? 141 : 130
    } else if (summary.failed > 0 && summary.completed + summary.pruned + summary.paused === 0) {
      console.error(`error: all ${summary.failed} trials of this run failed; the summary below says how to see why.`)
      process.exitCode = 1
    }
    console.log(
      `Stopped: ${summary.stoppedBy}. This run: ${summary.attempts} attempt${summary.attempts === 1 ? '' : 's'} in ${formatDuration(summary.wallSeconds)} (${summary.completed} complete, ${summary.pruned} pruned, ${summary.paused} paused, ${summary.failed} failed, ${summary.requeued} re-queued).`,
    )
    const trials = await study.trials()
    const ref = studyArg ?? studyArgs({ name: study.name, storage: result.storage.url })
    for (const line of summarizeStudy(study.info, trials, ref)) console.log(line)
    if (summary.attempts === 0 && summary.stoppedBy === 'trials')
      console.log(
        `Nothing was run: the study already has ${trialsCounted(trials)} trials, which meets its trial budget (budget.trials and --trials count all the study's trials, not this run's). Pass --trials N with N > ${trialsCounted(trials)} to run more.`,
      )
    // A grid or OFAT sweep larger than the trial budget: its queued points wait silently ("8 waiting") otherwise.
    const left = pointsNotRun(trials)
    if (summary.stoppedBy === 'trials' && study.sampler.pointsToQueue !== undefined && left > 0)
      console.log(
        `${left} sweep point${left === 1 ? '' : 's'} not run yet; run again with --trials ${trialsCounted(trials) + left} to finish the sweep.`,
      )
    const pausedTrials = trials.filter((t) => t.state === 'PAUSED')
    const paused = pausedTrials.length
    const bare = pausedTrials.filter((t) => typeof t.systemAttrs.checkpoint !== 'string').length
    const kept =
      bare === 0
        ? `with ${paused === 1 ? 'its checkpoint' : 'their checkpoints'}`
        : bare === paused
          ? `without a checkpoint (the trial script sent none: promoted, ${paused === 1 ? 'it trains' : 'they train'} again from scratch)`
          : `(${bare} without a checkpoint: promoted, they train again from scratch)`
    if (paused > 0 && summary.stoppedBy !== 'aborted')
      console.log(
        `${paused} trial${paused === 1 ? ' is' : 's are'} paused at a rung ${kept}: the best are resumed as more trials reach their rung. To go on, raise the trial budget (budget.trials, or --trials N with N > ${trialsCounted(trials)}) and run the same command again.`,
      )
    console.log(`Storage: ${result.storage.url}`)
    // Ctrl-C ended and re-queued the running trials; the one thing to know is how to go on.
    if (result.stoppedBy === 'SIGINT') console.log('Run the same command again to continue.')
  } finally {
    await result.storage.close()
  }
}

function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number >= 0, but got "${v}".`)
  return n
}
