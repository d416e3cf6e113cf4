import type { Kysely, Selectable } from 'kysely'
import type { Distribution, ParamValues } from '../../core/distributions/distribution.ts'
import { StudyExistsError, StudyNotFoundError, WinnowError } from '../../core/errors.ts'
import type { Json } from '../../core/json.ts'
import type {
  NewStudy,
  NewTrial,
  StateChange,
  Storage,
  StudyInfo,
  StudySummary,
  TrialChanges,
  TrialFilter,
} from '../../core/storage.ts'
import type { Direction, FrozenTrial, StudyId, TrialId } from '../../core/trial/frozen-trial.ts'
import { isFinished, type TrialState } from '../../core/trial/trial-state.ts'
import { assertUnfinished, checkStateChange, newParams, trialNotFound, validateNewStudy } from '../trial-rules.ts'
import { changeTrial, type PlanTrialChange } from './change-trial.ts'
import { KnownTrials } from './known-trials.ts'
import type { StudiesTable, WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'
import { deleteStudyRows, listStudySummaries, mergeStudyAttrs, toStudyInfo } from './study-rows.ts'
import { intermediatesOf, readTrialRow, readTrials, toFrozenTrial } from './trial-rows.ts'
import { claimOldestWaiting, insertTrial, rollback, studyVersion, type TrialPatch, tryWrite } from './trial-writes.ts'

/**
 * The Storage on a SQL database (SQLite or PostgreSQL, via Kysely).
 *
 * Every write is one short transaction that first bumps the study's `version` (on PostgreSQL that
 * locks the study row until commit, so all writers of one study take turns and versions commit in
 * order; SQLite's `BEGIN IMMEDIATE` serialises all writers of the file) and stamps the new version on
 * the rows it changes. Trial numbers come from the study row's `trial_count`, incremented under that
 * lock, so they are dense.
 *
 * Trial writes are optimistic, to keep the lock short: the trial is read and checked (state machine,
 * parameter conflicts, attribute merge) before the transaction, and the transaction updates it only if
 * its `version` is still the one read (compare-and-set); otherwise it rolls back and the write starts
 * over from a fresh read (change-trial.ts). Every change to a trial moves its version, so an unchanged
 * version means an unchanged trial. All statements are compiled before the transaction begins, and the
 * trials this instance wrote last are remembered (KnownTrials) so that the next write to them skips the
 * read. The hot writes are one statement each on PostgreSQL (see trial-writes.ts).
 *
 * Build one with `openStorage('sqlite:…' | 'postgres://…')`.
 */
export class SqlStorage implements Storage {
  readonly url: string
  private readonly db: Kysely<WinnowDatabase>
  private readonly known = new KnownTrials()

  constructor(private readonly driver: SqlDriver) {
    this.url = driver.url
    this.db = driver.db
  }

  async createStudy(spec: NewStudy, opts: { loadIfExists?: boolean } = {}) {
    const metricNames = validateNewStudy(spec)
    if (opts.loadIfExists) {
      const found = await this.findStudy(spec.name)
      if (found !== undefined) return { study: found, created: false }
    }
    const row = await this.db
      .insertInto('studies')
      .values({
        name: spec.name,
        directions: JSON.stringify(spec.directions),
        metric_names: JSON.stringify(metricNames),
        user_attrs: JSON.stringify(spec.userAttrs ?? {}),
        system_attrs: JSON.stringify(spec.systemAttrs ?? {}),
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (row !== undefined) return { study: this.info(row), created: true }
    // Another process created it between our check and our insert.
    const found = opts.loadIfExists ? await this.findStudy(spec.name) : undefined
    if (found !== undefined) return { study: found, created: false }
    throw new StudyExistsError(spec.name)
  }

  async findStudy(name: string): Promise<StudyInfo | undefined> {
    const row = await this.db.selectFrom('studies').selectAll().where('name', '=', name).executeTakeFirst()
    return row === undefined ? undefined : this.info(row)
  }

  async getStudy(id: StudyId): Promise<StudyInfo> {
    const row = await this.db.selectFrom('studies').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw this.studyNotFound(id)
    return this.info(row)
  }

  async listStudies(): Promise<StudySummary[]> {
    return listStudySummaries(this.driver)
  }

  async deleteStudy(id: StudyId): Promise<void> {
    if (!(await deleteStudyRows(this.driver, id))) throw this.studyNotFound(id)
  }

  async setStudyAttrs(id: StudyId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void> {
    if (!(await mergeStudyAttrs(this.driver, id, kind, attrs))) throw this.studyNotFound(id)
  }

  async createTrial(studyId: StudyId, init: NewTrial = {}): Promise<FrozenTrial> {
    const state = init.state ?? 'RUNNING'
    const now = Date.now()
    const checked = newParams(`(new) of study id ${studyId}`, {}, {}, init.params ?? {}, init.distributions ?? {})
    const fields = {
      study_id: studyId as number,
      state,
      params: JSON.stringify(checked.params),
      distributions: JSON.stringify(checked.distributions),
      objective_values: null,
      user_attrs: JSON.stringify(init.userAttrs ?? {}),
      system_attrs: JSON.stringify(init.systemAttrs ?? {}),
      created_at: now,
      started_at: state === 'RUNNING' ? now : null,
      finished_at: null,
      heartbeat_at: null,
    }
    const made = await insertTrial(this.driver, studyId, fields)
    if (made === undefined) throw this.studyNotFound(studyId)
    const row = { ...fields, ...made }
    this.known.set(row, [])
    return toFrozenTrial(row, [])
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    // Asked before every trial and usually nothing waits: answer that without taking a write lock.
    const waiting = await this.db
      .selectFrom('trials')
      .select('id')
      .where('study_id', '=', studyId)
      .where('state', '=', 'WAITING')
      .limit(1)
      .executeTakeFirst()
    if (waiting === undefined) return undefined
    const row = await claimOldestWaiting(this.driver, studyId, Date.now())
    if (row === undefined) return undefined
    // Nobody else writes a trial this call just claimed, so reading its values after the claim is safe.
    const ivs = (await intermediatesOf(this.db, [row.id])).get(Number(row.id)) ?? []
    this.known.set(row, ivs)
    return toFrozenTrial(row, ivs)
  }

  async setTrialParams(id: TrialId, params: ParamValues, distributions: Readonly<Record<string, Distribution>>) {
    await this.changeTrial(id, (row, label) => {
      assertUnfinished(label, row.state as TrialState, 'get new parameters')
      const cur = JSON.parse(row.params)
      const curD = JSON.parse(row.distributions)
      const add = newParams(label, cur, curD, params, distributions)
      if (Object.keys(add.params).length === 0) return undefined
      return {
        params: JSON.stringify({ ...cur, ...add.params }),
        distributions: JSON.stringify({ ...curD, ...add.distributions }),
      }
    })
  }

  async setTrialAttrs(id: TrialId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void> {
    const column = kind === 'user' ? 'user_attrs' : 'system_attrs'
    await this.changeTrial(id, (row, label) => {
      assertUnfinished(label, row.state as TrialState, `change its ${kind} attributes`)
      return { [column]: JSON.stringify({ ...JSON.parse(row[column]), ...attrs }) }
    })
  }

  async reportIntermediate(id: TrialId, step: number, value: number): Promise<void> {
    if (!Number.isFinite(step))
      throw new WinnowError('invalid_value', `Step must be a finite number, but trial id ${id} reported step ${step}.`)
    await this.changeTrial(
      id,
      (row, label) => {
        assertUnfinished(label, row.state as TrialState, `record an intermediate value at step ${step}`)
        return {}
      },
      { step, value },
    )
  }

  async setTrialState(id: TrialId, to: TrialState, change?: StateChange): Promise<FrozenTrial> {
    const snap = await this.changeTrial(id, (row, label) => {
      const directions = JSON.parse(row.study_directions) as Direction[]
      const values = checkStateChange(label, row.state as TrialState, to, change, directions)
      const now = Date.now()
      const patch: TrialPatch = { state: to, objective_values: values === null ? null : JSON.stringify(values) }
      if (to === 'RUNNING') patch.started_at = now
      if (to === 'WAITING') patch.heartbeat_at = null
      if (isFinished(to)) patch.finished_at = now
      if (change?.systemAttrs !== undefined)
        patch.system_attrs = JSON.stringify({ ...JSON.parse(row.system_attrs), ...change.systemAttrs })
      return patch
    })
    return snap!
  }

  async heartbeat(id: TrialId): Promise<void> {
    // A beat that races with the trial's end (or a requeue) is dropped rather than failing the worker.
    await this.changeTrial(id, (row) => (row.state === 'RUNNING' ? { heartbeat_at: Date.now() } : undefined))
  }

  async getTrial(id: TrialId): Promise<FrozenTrial> {
    const read = await readTrialRow(this.driver, id)
    if (read === undefined) throw trialNotFound(id)
    const { study_name: _n, study_directions: _d, ...row } = read.row
    return toFrozenTrial(row, read.intermediate)
  }

  async listTrials(studyId: StudyId, filter: TrialFilter = {}): Promise<TrialChanges> {
    const read = await readTrials(this.driver, { studyId, sinceVersion: filter.sinceVersion, states: filter.states })
    if (read.studyVersion === undefined) throw this.studyNotFound(studyId)
    return { trials: read.trials, version: read.studyVersion }
  }

  async requeueStaleTrials(studyId: StudyId, staleBefore: number): Promise<FrozenTrial[]> {
    const stale = this.db
      .selectFrom('trials')
      .where('study_id', '=', studyId)
      .where('state', '=', 'RUNNING')
      .where((eb) => eb(eb.fn.coalesce('heartbeat_at', 'started_at', 'created_at'), '<', staleBefore))
    // Runners call this periodically and usually nothing is stale: check without the write lock first.
    if ((await stale.select('id').limit(1).executeTakeFirst()) === undefined) return []
    const bump = this.db
      .updateTable('studies')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', studyId)
      .compile()
    const requeue = this.db
      .updateTable('trials')
      .set({ state: 'WAITING', heartbeat_at: null, version: studyVersion(studyId) })
      .where('id', 'in', stale.select('id'))
      .returningAll()
      .compile()
    const out = await tryWrite(this.driver, async (tx) => {
      await tx.executeQuery(bump)
      const rows = (await tx.executeQuery(requeue)).rows
      if (rows.length === 0) rollback()
      const ivs = await intermediatesOf(
        tx,
        rows.map((r) => r.id),
      )
      return rows
        .map((r) => {
          this.known.set(r, ivs.get(Number(r.id)) ?? [])
          return toFrozenTrial(r, ivs.get(Number(r.id)) ?? [])
        })
        .sort((a, b) => a.number - b.number)
    })
    return out ?? []
  }

  async close(): Promise<void> {
    await this.driver.close()
  }

  /** Runs one optimistic single-trial write of this instance (see `changeTrial`). */
  private changeTrial(
    id: TrialId,
    plan: PlanTrialChange,
    iv?: { step: number; value: number },
  ): Promise<FrozenTrial | undefined> {
    return changeTrial(this.driver, this.known, id, plan, iv)
  }

  /** Converts a study row, remembering its name and directions for later trial writes. */
  private info(row: Selectable<StudiesTable>): StudyInfo {
    this.known.study(Number(row.id), row.name, row.directions)
    return toStudyInfo(row)
  }

  private studyNotFound(id: StudyId): StudyNotFoundError {
    return new StudyNotFoundError(`with id ${id} in ${this.url}`)
  }
}
