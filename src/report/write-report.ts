import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Storage } from '../core/storage.ts'
import { gatherReportData } from './gather-report-data.ts'
import { renderReportHtml } from './html-shell.ts'
import { renderReportMarkdown } from './markdown.ts'
import type { ReportData } from './report-data.ts'

/** Where `writeReport` put the files. */
export interface WrittenReport {
  readonly html: string
  readonly markdown: string
}

/**
 * A file-name stem from a study name: letters, digits, `.`, `_` and `-` kept, anything else (path separators,
 * spaces, markup) replaced by `_`, so a study name can never write outside the output folder.
 */
export function reportStem(studyName: string): string {
  const s = studyName
    .replace(/[^\w.-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120)
  return s.length > 0 ? s : 'study'
}

/** Writes `<study>-report.html` and `<study>-report.md` for a study into `outDir` (created when missing). */
export async function writeReport(storage: Storage, studyName: string, outDir: string): Promise<WrittenReport> {
  return writeReportFiles(await gatherReportData(storage, studyName), outDir)
}

/** Writes the report files of gathered data into `outDir` (created when missing): only file-system work. */
export function writeReportFiles(data: ReportData, outDir: string): WrittenReport {
  const studyName = data.study.name
  mkdirSync(outDir, { recursive: true })
  const stem = reportStem(studyName)
  const html = join(outDir, `${stem}-report.html`)
  const markdown = join(outDir, `${stem}-report.md`)
  writeFileSync(html, renderReportHtml(data))
  writeFileSync(markdown, renderReportMarkdown(data))
  return { html, markdown }
}
