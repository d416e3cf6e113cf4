import { type Kysely, type Selectable, sql } from 'kysely'
import type { FrozenTrial, IntermediateValue, StudyId, TrialId } from '../../core/trial/frozen-trial.ts'
import type { TrialState } from '../../core/trial/trial-state.ts'
import { deepFreeze } from '../trial-rules.ts'
import type { TrialsTable, WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'

/** A row of the trials table. */
export type TrialRow = Selectable<TrialsTable>

/** Trials read in one snapshot; `studyVersion` is undefined when the study (or trial) does not exist. */
export interface TrialRead {
  readonly trials: FrozenTrial[]
  readonly studyVersion: number | undefined
}

/** Builds the frozen snapshot of a trial from its row and its intermediate values (sorted by step). */
export function toFrozenTrial(row: TrialRow, intermediate: IntermediateValue[]): FrozenTrial {
  return deepFreeze<FrozenTrial>({
    id: Number(row.id) as TrialId,
    studyId: Number(row.study_id) as StudyId,
    number: Number(row.number),
    state: row.state as TrialState,
    params: JSON.parse(row.params),
    distributions: JSON.parse(row.distributions),
    values: row.objective_values === null ? null : JSON.parse(row.objective_values),
    intermediate,
    userAttrs: JSON.parse(row.user_attrs),
    systemAttrs: JSON.parse(row.system_attrs),
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    heartbeatAt: row.heartbeat_at === null ? null : Number(row.heartbeat_at),
    version: Number(row.version),
  })
}

/** Intermediate values of some trials, grouped by trial id and sorted by step (SQLite's NULL is NaN). */
export async function intermediatesOf(tx: Kysely<WinnowDatabase>, trialIds: readonly number[]) {
  const out = new Map<number, IntermediateValue[]>()
  if (trialIds.length === 0) return out
  const rows = await tx
    .selectFrom('trial_intermediate')
    .select(['trial_id', 'step', 'value'])
    .where('trial_id', 'in', trialIds)
    .orderBy('trial_id')
    .orderBy('step')
    .execute()
  for (const r of rows) pushIv(out, Number(r.trial_id), r.step, r.value)
  return out
}

/** A trial row with its study's name and directions (for messages and the COMPLETE check). */
export type TrialWithStudy = TrialRow & { study_name: string; study_directions: string }

/** Columns that aggregate a trial's intermediate values (alias `t`): arrays on PostgreSQL, JSON on SQLite. */
function ivColumns(driver: SqlDriver) {
  return driver.dialect === 'postgres'
    ? sql`(SELECT array_agg(step ORDER BY step) FROM trial_intermediate WHERE trial_id = t.id) AS iv_steps,
          (SELECT array_agg(value ORDER BY step) FROM trial_intermediate WHERE trial_id = t.id) AS iv_values`
    : sql`(SELECT json_group_array(json_array(step, value) ORDER BY step) FROM trial_intermediate WHERE trial_id = t.id) AS iv_json`
}

/**
 * Reads one trial with its study's name and directions and its intermediate values, in one statement;
 * undefined when the trial does not exist.
 */
export async function readTrialRow(
  driver: SqlDriver,
  id: TrialId,
): Promise<{ row: TrialWithStudy; intermediate: IntermediateValue[] } | undefined> {
  const r = await sql<AggRow & TrialWithStudy>`
    SELECT t.*, s.name AS study_name, s.directions AS study_directions, ${ivColumns(driver)}
    FROM trials t JOIN studies s ON s.id = t.study_id WHERE t.id = ${id}`.execute(driver.db)
  const row = r.rows[0]
  if (row === undefined) return undefined
  const intermediate = aggregatedIntermediates(row)
  delete row.iv_json
  delete row.iv_steps
  delete row.iv_values
  return { row, intermediate }
}

/**
 * Reads a study's trials with their intermediate values in one statement (so from one consistent
 * snapshot), ordered by number, with the study's version read in the same snapshot. Intermediate values
 * come aggregated per trial: arrays on PostgreSQL, a JSON array on SQLite (whose JSON writes NaN as null
 * and ±Infinity as ±9e999, which JSON.parse reads back as ±Infinity). `studyVersion` is undefined when
 * the study does not exist.
 */
export async function readTrials(
  driver: SqlDriver,
  q: { readonly studyId: StudyId; readonly sinceVersion?: number; readonly states?: readonly TrialState[] },
): Promise<TrialRead> {
  const since = q.sinceVersion === undefined ? sql`` : sql` AND t.version > ${q.sinceVersion}`
  const states =
    q.states === undefined
      ? sql``
      : q.states.length === 0
        ? sql` AND 1 = 0`
        : sql` AND t.state IN (${sql.join(q.states.map((st) => sql`${st}`))})`
  // The study row exists whenever the study does, so an empty change set still reports the version.
  const { rows } = await sql<AggRow>`
    SELECT s.version AS study_version, t.*, ${ivColumns(driver)}
    FROM studies s LEFT JOIN trials t ON t.study_id = s.id${since}${states}
    WHERE s.id = ${q.studyId}
    ORDER BY t.number`.execute(driver.db)
  if (rows.length === 0) return { trials: [], studyVersion: undefined }
  const trials: FrozenTrial[] = []
  for (const r of rows) {
    if (r.id === null) continue
    trials.push(toFrozenTrial(r, aggregatedIntermediates(r)))
  }
  return { trials, studyVersion: Number(rows[0].study_version) }
}

type AggRow = TrialRow & {
  study_version?: number
  iv_steps?: number[] | null
  iv_values?: (number | null)[] | null
  iv_json?: string
}

function aggregatedIntermediates(r: AggRow): IntermediateValue[] {
  const out: IntermediateValue[] = []
  if (r.iv_json !== undefined) {
    for (const [step, value] of JSON.parse(r.iv_json) as [number, number | null][])
      out.push({ step, value: value === null ? Number.NaN : value })
  } else if (r.iv_steps != null && r.iv_values != null) {
    for (let i = 0; i < r.iv_steps.length; i++) out.push({ step: r.iv_steps[i], value: r.iv_values[i] ?? Number.NaN })
  }
  return out
}

function pushIv(out: Map<number, IntermediateValue[]>, trialId: number, step: number, value: number | null) {
  let list = out.get(trialId)
  if (list === undefined) {
    list = []
    out.set(trialId, list)
  }
  list.push({ step: Number(step), value: value === null ? Number.NaN : Number(value) })
}
