import type { Storage } from '../storage.ts'
import type { FrozenTrial, StudyId } from '../trial/frozen-trial.ts'

/**
 * A study's trials kept in memory and refreshed incrementally: each refresh asks storage only for the
 * trials changed since the version last seen, so asking trial 1000 does not re-read 999 trials.
 */
export class TrialCache {
  private readonly byId = new Map<number, FrozenTrial>()
  private version = -1
  private sorted: FrozenTrial[] | undefined = []

  constructor(
    private readonly storage: Storage,
    private readonly studyId: StudyId,
  ) {}

  /** Fetches what changed and returns all trials ordered by number. */
  async refresh(): Promise<readonly FrozenTrial[]> {
    const changes = await this.storage.listTrials(this.studyId, this.version < 0 ? {} : { sinceVersion: this.version })
    for (const t of changes.trials) this.put(t)
    this.version = Math.max(this.version, changes.version)
    return this.all()
  }

  /** Records a snapshot this process already holds (e.g. the result of a write). */
  put(t: FrozenTrial): void {
    const old = this.byId.get(t.id)
    if (old !== undefined && old.version > t.version) return
    this.byId.set(t.id, t)
    this.sorted = undefined
  }

  /** All cached trials ordered by number. */
  all(): readonly FrozenTrial[] {
    this.sorted ??= [...this.byId.values()].sort((a, b) => a.number - b.number)
    return this.sorted
  }
}
