import type { IntermediateValue } from '../../core/trial/frozen-trial.ts'
import type { TrialRow, TrialWithStudy } from './trial-rows.ts'

/** A trial as this process last wrote or read it. */
export interface KnownTrial {
  readonly row: TrialWithStudy
  readonly intermediate: IntermediateValue[]
}

/**
 * The unfinished trials this storage instance wrote last, so that its next write to one of them can skip
 * reading it first. Only a hint: every write is a compare-and-set on the trial's version, and a write
 * planned from a stale entry fails (or is refused) and is redone from a fresh read. On the ask/tell path
 * (create → set params → finish) this saves a read per write: one statement on SQLite, one round trip
 * on PostgreSQL. Also remembers each study's name and directions, which never change.
 */
export class KnownTrials {
  private readonly trials = new Map<number, KnownTrial>()
  private readonly studies = new Map<number, { name: string; directions: string }>()

  constructor(private readonly capacity = 2000) {}

  get(id: number): KnownTrial | undefined {
    return this.trials.get(id)
  }

  /** Remembers a trial (replacing what was known); finished trials are forgotten: they never change. */
  set(row: TrialRow, intermediate: IntermediateValue[]): void {
    const id = Number(row.id)
    this.trials.delete(id)
    const study = this.studies.get(Number(row.study_id))
    if (study === undefined || row.state === 'COMPLETE' || row.state === 'PRUNED' || row.state === 'FAIL') return
    if (this.trials.size >= this.capacity) this.trials.delete(this.trials.keys().next().value!)
    this.trials.set(id, { row: { ...row, study_name: study.name, study_directions: study.directions }, intermediate })
  }

  forget(id: number): void {
    this.trials.delete(id)
  }

  /** Remembers a study's name and directions (as stored: JSON text). */
  study(id: number, name: string, directions: string): void {
    this.studies.set(id, { name, directions })
  }
}
