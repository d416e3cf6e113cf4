import type { Generated } from 'kysely'

// Table shapes as Kysely sees them. JSON columns hold text (JSON.stringify) on both dialects: text keeps
// key order (JSONB would reorder a trial's params) and costs the server no parsing on the hot path.

/** The `schema_version` table: one row with the schema version the database was migrated to. */
export interface SchemaVersionTable {
  version: number
}

/** The `studies` table; `version` is bumped by every write to the study or its trials. */
export interface StudiesTable {
  id: Generated<number>
  name: string
  directions: string
  metric_names: string
  user_attrs: string
  system_attrs: string
  created_at: number
  version: Generated<number>
  /** How many trials the study has had: the next trial number (numbers are dense). */
  trial_count: Generated<number>
}

/** The `trials` table; `version` is the study version of the trial's last change. */
export interface TrialsTable {
  id: Generated<number>
  study_id: number
  number: number
  state: string
  params: string
  distributions: string
  objective_values: string | null
  user_attrs: string
  system_attrs: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  heartbeat_at: number | null
  version: number
}

/** The `trial_intermediate` table: one row per (trial, step). SQLite stores NaN as NULL. */
export interface IntermediateTable {
  trial_id: number
  step: number
  value: number | null
  version: number
}

/** The whole schema. */
export interface WinnowDatabase {
  schema_version: SchemaVersionTable
  studies: StudiesTable
  trials: TrialsTable
  trial_intermediate: IntermediateTable
}
