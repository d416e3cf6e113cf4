import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadStudyFile } from '../../config/index.ts'
import { writeReport } from '../../report/write-report.ts'
import { openStorage } from '../../storage/open-storage.ts'
import { studyArgs } from '../context.ts'
import { runStudyFile } from '../run-study.ts'
import { positiveInt } from './study-commands.ts'
import { printResult } from './tune-commands.ts'

/** The built-in demo study file, shipped with the package. */
export const DEMO_STUDY_FILE = resolve(import.meta.dirname, '../../../examples/tiny-lm/study.yaml')

/**
 * `winnow demo`: the main job. Tunes the built-in tiny-LM LoRA fine-tune (examples/tiny-lm) on CPU with the
 * default sampler and successive halving, starting from the published LoRA defaults, and prints baseline vs
 * best, the gain, what was pruned and the compute saved.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('tune the built-in tiny language-model fine-tune (CPU, about 2 minutes)')
    .option('-n, --trials <n>', 'trials in the study (more = longer, better)', (v) => positiveInt(v, '--trials'), 40)
    .option('-j, --concurrency <n>', 'trials at once', (v) => positiveInt(v, '--concurrency'), 2)
    .option('-s, --storage <url>', 'where to keep the study', 'sqlite:winnow-demo.db')
    .option('--seed <n>', 'seed of the study', (v) => positiveInt(v, '--seed'), 1)
    .option('--resume', 'continue the previous demo study instead of starting a fresh one')
    .option('-q, --quiet', 'line-by-line progress')
    .action(
      async (flags: {
        trials: number
        concurrency: number
        storage: string
        seed: number
        resume?: boolean
        quiet?: boolean
      }) => {
        const config = loadStudyFile(DEMO_STUDY_FILE)
        if (!flags.resume) await deleteStudy(flags.storage, config.name)
        console.log(
          `Tuning ${config.name}: ${flags.trials} trials, ${flags.concurrency} at a time, baseline = the published LoRA defaults.`,
        )
        const result = await runStudyFile(config, {
          storage: flags.storage,
          trials: flags.trials,
          concurrency: flags.concurrency,
          seed: flags.seed,
          quiet: flags.quiet,
          workDir: resolve('.winnow'),
        })
        const report = await writeReport(result.storage, config.name, process.cwd())
        await printResult(result, studyArgs({ name: config.name, storage: flags.storage }))
        console.log(`Report: ${report.html} (and ${report.markdown})`)
        console.log(`Look closer: winnow trials ${config.name} --storage ${flags.storage}`)
      },
    )
}

async function deleteStudy(url: string, name: string): Promise<void> {
  const storage = await openStorage(url)
  try {
    const old = await storage.findStudy(name)
    if (old) await storage.deleteStudy(old.id)
  } finally {
    await storage.close()
  }
}
