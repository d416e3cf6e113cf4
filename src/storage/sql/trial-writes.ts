import { type Kysely, sql } from 'kysely'
import type { StudyId, TrialId } from '../../core/trial/frozen-trial.ts'
import type { TrialsTable, WinnowDatabase } from './schema.ts'
import type { SqlDriver } from './sql-driver.ts'
import type { TrialRow } from './trial-rows.ts'

// The three writes on the ask/tell hot path, each the shortest possible hold of the study's write lock.
// SQLite: a BEGIN IMMEDIATE transaction of statements compiled before it begins (in-process, so several
// statements cost no round trip). PostgreSQL: ONE statement in autocommit, whose first CTE bumps the
// study version (taking the study row lock until commit): one round trip instead of four or five.

/** The columns of a trial that a write may change (never id, study, number or version). */
export type TrialPatch = Partial<Omit<TrialsTable, 'id' | 'study_id' | 'number' | 'version'>>

/** A new trial's columns, except number and version (assigned under the study lock). */
export type NewTrialRow = Omit<TrialsTable, 'id' | 'number' | 'version'>

/** Thrown inside a write transaction to roll it back quietly (see `tryWrite`). */
const ROLLBACK = new Error('rollback')

/** Inserts a trial with the study's next number; undefined when the study does not exist. */
export async function insertTrial(
  driver: SqlDriver,
  studyId: StudyId,
  fields: NewTrialRow,
): Promise<{ id: number; number: number; version: number } | undefined> {
  const { db } = driver
  const bump = db
    .updateTable('studies')
    .set((eb) => ({ version: eb('version', '+', 1), trial_count: eb('trial_count', '+', 1) }))
    .where('id', '=', studyId)
  if (driver.dialect === 'postgres') {
    const f = fields
    const r = await db
      .with('s', () => bump.returning(['version', 'trial_count']))
      .insertInto('trials')
      .columns([...COLUMNS, 'number', 'version'])
      .expression(
        sql`SELECT ${f.study_id}::bigint, ${f.state}::text, ${f.params}::text, ${f.distributions}::text,
          ${f.objective_values}::text, ${f.user_attrs}::text, ${f.system_attrs}::text, ${f.created_at}::bigint,
          ${f.started_at}::bigint, ${f.finished_at}::bigint, ${f.heartbeat_at}::bigint, s.trial_count - 1, s.version FROM s`,
      )
      .returning(['id', 'number', 'version'])
      .executeTakeFirst()
    return r && { id: Number(r.id), number: Number(r.number), version: Number(r.version) }
  }
  const insert = db
    .insertInto('trials')
    .values({
      ...fields,
      number: sql<number>`(SELECT trial_count - 1 FROM studies WHERE id = ${studyId})`,
      version: studyVersion(studyId),
    })
    .returning(['id', 'number', 'version'])
    .compile()
  const bumpQ = bump.compile()
  return tryWrite(driver, async (tx) => {
    if (Number((await tx.executeQuery(bumpQ)).numAffectedRows ?? 0) === 0) throw ROLLBACK
    const r = (await tx.executeQuery(insert)).rows[0]
    return { id: Number(r.id), number: Number(r.number), version: Number(r.version) }
  })
}

/**
 * Writes `patch` to a trial only if its version is still `seenVersion` (compare-and-set), bumping the
 * study version and stamping it on the trial; with `iv`, also upserts that intermediate value. Returns
 * the new version, or undefined when the trial changed since it was read (the caller reads it again).
 * On PostgreSQL a failed compare-and-set still bumps the study version once: harmless, readers just see
 * a version with no changed trial.
 */
export async function casUpdateTrial(
  driver: SqlDriver,
  studyId: StudyId,
  trialId: TrialId,
  seenVersion: number,
  patch: TrialPatch,
  iv?: { step: number; value: number },
): Promise<number | undefined> {
  const { db } = driver
  if (driver.dialect === 'postgres') {
    const q = db
      .with('s', (qb) =>
        qb
          .updateTable('studies')
          .set((eb) => ({ version: eb('version', '+', 1) }))
          .where('id', '=', studyId)
          .returning('version'),
      )
      .with('u', (qb) =>
        qb
          .updateTable('trials')
          .from('s')
          .set((eb) => ({ ...patch, version: eb.ref('s.version') }))
          .where('trials.id', '=', trialId)
          .where('trials.version', '=', seenVersion)
          .returning(['trials.id', 'trials.version']),
      )
    const r =
      iv === undefined
        ? await q.selectFrom('u').select('version').executeTakeFirst()
        : await q
            .insertInto('trial_intermediate')
            .columns(['trial_id', 'step', 'value', 'version'])
            .expression((eb) =>
              eb
                .selectFrom('u')
                .select([
                  'u.id',
                  sql<number>`${iv.step}::float8`.as('step'),
                  sql<number>`${iv.value}::float8`.as('value'),
                  'u.version',
                ]),
            )
            .onConflict((oc) =>
              oc.columns(['trial_id', 'step']).doUpdateSet((eb) => ({
                value: eb.ref('excluded.value'),
                version: eb.ref('excluded.version'),
              })),
            )
            .returning('version')
            .executeTakeFirst()
    return r === undefined ? undefined : Number(r.version)
  }
  const bump = db
    .updateTable('studies')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', studyId)
    .compile()
  const update = db
    .updateTable('trials')
    .set({ ...patch, version: studyVersion(studyId) })
    .where('id', '=', trialId)
    .where('version', '=', seenVersion)
    .returning('version')
    .compile()
  const upsert =
    iv &&
    db
      .insertInto('trial_intermediate')
      .values({ trial_id: trialId, step: iv.step, value: iv.value, version: studyVersion(studyId) })
      .onConflict((oc) =>
        oc.columns(['trial_id', 'step']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          version: eb.ref('excluded.version'),
        })),
      )
      .compile()
  return tryWrite(driver, async (tx) => {
    await tx.executeQuery(bump)
    const updated = (await tx.executeQuery(update)).rows[0]
    if (updated === undefined) throw ROLLBACK // changed since read: undo the bump
    if (upsert) await tx.executeQuery(upsert)
    return Number(updated.version)
  })
}

/**
 * Moves the study's oldest WAITING trial to RUNNING and returns its row; undefined when none waits.
 * PostgreSQL picks the trial with `FOR UPDATE SKIP LOCKED`, so a claimer never queues behind a row that
 * another transaction holds.
 */
export async function claimOldestWaiting(
  driver: SqlDriver,
  studyId: StudyId,
  now: number,
): Promise<TrialRow | undefined> {
  const { db } = driver
  const oldest = db
    .selectFrom('trials')
    .select('id')
    .where('study_id', '=', studyId)
    .where('state', '=', 'WAITING')
    .orderBy('number')
    .limit(1)
  const claimed = { state: 'RUNNING', started_at: now, heartbeat_at: null }
  if (driver.dialect === 'postgres') {
    return db
      .with('s', (qb) =>
        qb
          .updateTable('studies')
          .set((eb) => ({ version: eb('version', '+', 1) }))
          .where('id', '=', studyId)
          .returning('version'),
      )
      .updateTable('trials')
      .from('s')
      .set((eb) => ({ ...claimed, version: eb.ref('s.version') }))
      .where('trials.id', '=', oldest.forUpdate().skipLocked())
      .returningAll('trials')
      .executeTakeFirst()
  }
  const bump = db
    .updateTable('studies')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', studyId)
    .compile()
  const claim = db
    .updateTable('trials')
    .set({ ...claimed, version: studyVersion(studyId) })
    .where('id', '=', oldest)
    .returningAll()
    .compile()
  return tryWrite(driver, async (tx) => {
    await tx.executeQuery(bump)
    const row = (await tx.executeQuery(claim)).rows[0]
    if (row === undefined) throw ROLLBACK // claimed by another worker meanwhile: undo the bump
    return row
  })
}

/** Runs a write transaction; undefined when `fn` threw ROLLBACK (the transaction was rolled back). */
export async function tryWrite<T>(
  driver: SqlDriver,
  fn: (tx: Kysely<WinnowDatabase>) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await driver.write(fn)
  } catch (e) {
    if (e === ROLLBACK) return undefined
    throw e
  }
}

/** Throws the quiet-rollback signal of `tryWrite`. */
export function rollback(): never {
  throw ROLLBACK
}

/** The study's version as a subquery: inside a write transaction, the version just bumped. */
export function studyVersion(studyId: StudyId) {
  return sql<number>`(SELECT version FROM studies WHERE id = ${studyId})`
}

const COLUMNS = [
  'study_id',
  'state',
  'params',
  'distributions',
  'objective_values',
  'user_attrs',
  'system_attrs',
  'created_at',
  'started_at',
  'finished_at',
  'heartbeat_at',
] as const
