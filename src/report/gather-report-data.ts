import { StudyNotFoundError } from '../core/errors.ts'
import type { Storage } from '../core/storage.ts'
import { buildReportData } from './build-report-data.ts'
import type { ReportData } from './report-data.ts'
import { reproducibilityOf } from './reproducibility.ts'

/**
 * Reads a study and its trials from storage, records the environment (git, host, version), and builds the
 * report's data. Throws StudyNotFoundError, listing the studies there, when the name is unknown.
 */
export async function gatherReportData(storage: Storage, studyName: string): Promise<ReportData> {
  const info = await storage.findStudy(studyName)
  if (info === undefined)
    throw new StudyNotFoundError(
      studyName,
      storage.url,
      (await storage.listStudies()).map((s) => s.name),
    )
  const { trials } = await storage.listTrials(info.id)
  return buildReportData(info, trials, await reproducibilityOf(info), new Date())
}
