import type { Selectable } from 'kysely'
import type { Json } from '../../core/json.ts'
import type { StudyInfo, StudySummary } from '../../core/storage.ts'
import type { StudyId } from '../../core/trial/frozen-trial.ts'
import type { TrialState } from '../../core/trial/trial-state.ts'
import { deepFreeze, emptyCounts } from '../trial-rules.ts'
import type { StudiesTable } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

// Study-level statements of SqlStorage: rare, so plain transactions without the hot-path tricks.

/** Builds the frozen StudyInfo of a study row. */
export function toStudyInfo(row: Selectable<StudiesTable>): StudyInfo {
  return deepFreeze<StudyInfo>({
    id: Number(row.id) as StudyId,
    name: row.name,
    directions: JSON.parse(row.directions),
    metricNames: JSON.parse(row.metric_names),
    userAttrs: JSON.parse(row.user_attrs),
    systemAttrs: JSON.parse(row.system_attrs),
    createdAt: Number(row.created_at),
  })
}

/** All studies, oldest first, with their trial counts per state, read from one snapshot. */
export async function listStudySummaries(driver: SqlDriver): Promise<StudySummary[]> {
  const [studies, counts] = await driver.read(async (tx) => [
    await tx.selectFrom('studies').selectAll().orderBy('id').execute(),
    await tx
      .selectFrom('trials')
      .select((eb) => ['study_id', 'state', eb.fn.countAll<number>().as('n')])
      .groupBy(['study_id', 'state'])
      .execute(),
  ])
  const byStudy = new Map<number, Record<TrialState, number>>()
  for (const c of counts) {
    const id = Number(c.study_id)
    if (!byStudy.has(id)) byStudy.set(id, emptyCounts())
    byStudy.get(id)![c.state as TrialState] = Number(c.n)
  }
  return studies.map((s) => deepFreeze({ ...toStudyInfo(s), counts: byStudy.get(Number(s.id)) ?? emptyCounts() }))
}

/** Deletes a study with its trials and their values; false when the study does not exist. */
export async function deleteStudyRows(driver: SqlDriver, id: StudyId): Promise<boolean> {
  return driver.write(async (tx) => {
    // Lock the study row first, as every other writer does; the cascade would delete the same rows.
    const found = await tx
      .selectFrom('studies')
      .select('id')
      .where('id', '=', id)
      .$if(driver.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()
    if (found === undefined) return false
    const trialIds = tx.selectFrom('trials').select('id').where('study_id', '=', id)
    await tx.deleteFrom('trial_intermediate').where('trial_id', 'in', trialIds).execute()
    await tx.deleteFrom('trials').where('study_id', '=', id).execute()
    await tx.deleteFrom('studies').where('id', '=', id).execute()
    return true
  })
}

/** Merges attributes into a study's user or system attributes and bumps its version; false when missing. */
export async function mergeStudyAttrs(
  driver: SqlDriver,
  id: StudyId,
  kind: 'user' | 'system',
  attrs: Readonly<Record<string, Json>>,
): Promise<boolean> {
  const column = kind === 'user' ? 'user_attrs' : 'system_attrs'
  return driver.write(async (tx) => {
    const row = await tx
      .selectFrom('studies')
      .select(column)
      .where('id', '=', id)
      .$if(driver.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()
    if (row === undefined) return false
    const merged = JSON.stringify({ ...JSON.parse((row as Record<string, string>)[column]), ...attrs })
    await tx
      .updateTable('studies')
      .set((eb) => ({ [column]: merged, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute()
    return true
  })
}
