import type { Command } from 'commander'
import { writeReport } from '../../report/write-report.ts'
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
        const written = await writingTo('--out', opts.out, () => writeReport(storage, name, opts.out))
        console.log(`Wrote ${written.html}`)
        console.log(`Wrote ${written.markdown}`)
      }),
    )
}
