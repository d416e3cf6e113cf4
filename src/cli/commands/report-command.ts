import type { Command } from 'commander'
import { gatherReportData } from '../../report/gather-report-data.ts'
import { writeReportFiles } from '../../report/write-report.ts'
import { usingStorage, withStorageOption, writingTo } from '../context.ts'

/** `winnow report <study>`: writes a self-contained HTML report and a Markdown summary. */
export function registerReportCommand(program: Command): void {
  withStorageOption(
    program
      .command('report <study>')
      .description('write a self-contained HTML report and a Markdown summary of a study'),
  )
    .option('-o, --out <dir>', 'folder to write <study>-report.html and <study>-report.md into', '.')
    .action(async (name: string, opts: { storage: string; out: string }) =>
      usingStorage(opts.storage, async (storage) => {
        const data = await gatherReportData(storage, name)
        // Only the writing is the --out path's problem; reading the study reports its own errors.
        const written = await writingTo('--out', opts.out, () => writeReportFiles(data, opts.out))
        console.log(`Wrote ${written.html}`)
        console.log(`Wrote ${written.markdown}`)
      }),
    )
}
