import type { Storage, StudyInfo } from '../core/storage.ts'
import type { FrozenTrial, StudyId, TrialId } from '../core/trial/frozen-trial.ts'

/**
 * The trials of one study as the dashboard last read them, kept current with incremental reads: the first
 * `refresh` reads the whole study, every later one only the trials changed since the version it holds
 * (`listTrials(study, { sinceVersion })`, one indexed range read), so a live page or event stream never
 * re-reads a whole study per poll. Concurrent refreshes share one read.
 */
export class StudyCache {
  /** -1 until the first read. */
  private v = -1
  private readonly byId = new Map<TrialId, FrozenTrial>()
  private sorted: FrozenTrial[] | undefined
  private inflight: Promise<void> | undefined
  private readAt = 0
  private held = 0
  private readonly memo = new Map<string, { version: number; value: unknown; builtAt: number; costMs: number }>()

  constructor(
    private readonly storage: Storage,
    public info: StudyInfo,
  ) {}

  get id(): StudyId {
    return this.info.id
  }

  /** The study version the cached trials were read at (-1 before the first read). */
  get version(): number {
    return this.v
  }

  /** How much it holds: one per trial plus one per intermediate value (what its memory grows with). */
  get size(): number {
    return this.held
  }

  /**
   * Reads what changed since the cached version, unless the last read finished less than `maxAgeMs` ago.
   * Throws StudyNotFoundError when the study has been deleted.
   */
  async refresh(maxAgeMs = 0): Promise<void> {
    if (this.inflight !== undefined) return this.inflight
    if (this.v >= 0 && maxAgeMs > 0 && Date.now() - this.readAt < maxAgeMs) return
    this.inflight = this.read().finally(() => {
      this.inflight = undefined
    })
    return this.inflight
  }

  private async read(): Promise<void> {
    const first = this.v < 0
    const changes = await this.storage.listTrials(this.info.id, first ? {} : { sinceVersion: this.v })
    for (const t of changes.trials) {
      const old = this.byId.get(t.id)
      this.held += t.intermediate.length + 1 - (old === undefined ? 0 : old.intermediate.length + 1)
      this.byId.set(t.id, t)
    }
    if (changes.trials.length > 0 || first) this.sorted = undefined
    this.v = Math.max(this.v, changes.version)
    this.readAt = Date.now()
  }

  /** The cached trials, ordered by number (the same array until something changes). */
  trials(): readonly FrozenTrial[] {
    this.sorted ??= [...this.byId.values()].sort((a, b) => a.number - b.number)
    return this.sorted
  }

  /** The cached trials whose last change is newer than `version`. */
  changedSince(version: number): FrozenTrial[] {
    return this.trials().filter((t) => t.version > version)
  }

  /** The cached trial with this number, if any. */
  trial(number: number): FrozenTrial | undefined {
    // Numbers are dense from 0, so the sorted array is usually indexable directly.
    const all = this.trials()
    const guess = all[number]
    return guess?.number === number ? guess : all.find((t) => t.number === number)
  }

  /**
   * `compute()` once per study version and key: derived views (report data, digests) are rebuilt only after
   * the study changed, however often pages and events ask for them. With `staleFactor`, a view that took
   * `ms` to build is not rebuilt sooner than `staleFactor × ms` after its last build (the previous one is
   * returned meanwhile), so a costly view of a big study that changes every second uses a bounded share of
   * the CPU; cheap views stay current.
   */
  derived<T>(key: string, compute: () => T, staleFactor = 0): T {
    const hit = this.memo.get(key)
    const now = performance.now()
    if (hit !== undefined && (hit.version === this.v || now - hit.builtAt < hit.costMs * staleFactor))
      return hit.value as T
    const value = compute()
    const done = performance.now()
    this.memo.set(key, { version: this.v, value, builtAt: done, costMs: done - now })
    return value
  }

  /** Whether the derived view `key` was built from the current version (false while a stale one is served). */
  isFresh(key: string): boolean {
    return this.memo.get(key)?.version === this.v
  }
}

/** Options of `StudyCaches`. */
export interface StudyCachesOptions {
  /** Most studies kept in memory at once. @default 64 */
  readonly maxStudies?: number
  /**
   * Most trials plus intermediate values kept in memory at once, over all studies (about 66 bytes of heap per
   * intermediate value, measured on 2,000 trials of 500 reports: the default is about 130 MB). The study in use
   * is kept even when it alone is bigger. @default 2_000_000
   */
  readonly maxSize?: number
}

/**
 * The dashboard's study caches, by study id (a study deleted and created again under the same name gets a
 * fresh cache). Callers look the study up by name first, so deletions show at once. The least recently used
 * studies are dropped when there are more than `maxStudies` or they hold more than `maxSize` (see options).
 */
export class StudyCaches {
  private readonly caches = new Map<StudyId, StudyCache>()
  private readonly maxStudies: number
  private readonly maxSize: number

  constructor(
    private readonly storage: Storage,
    o: StudyCachesOptions = {},
  ) {
    this.maxStudies = o.maxStudies ?? 64
    this.maxSize = o.maxSize ?? 2_000_000
  }

  /** The up-to-date cache of a study already looked up (it becomes the most recently used). */
  async forInfo(info: StudyInfo, maxAgeMs = 0): Promise<StudyCache> {
    let cache = this.caches.get(info.id)
    if (cache === undefined) cache = new StudyCache(this.storage, info)
    else {
      cache.info = info
      this.caches.delete(info.id)
    }
    this.caches.set(info.id, cache)
    try {
      await cache.refresh(maxAgeMs)
    } catch (e) {
      if (this.caches.get(info.id) === cache) this.caches.delete(info.id) // deleted meanwhile: keep nothing
      throw e
    }
    this.shrink(cache)
    return cache
  }

  /** The cache of a study if one is held, as it is (not read, not made the most recently used). */
  peek(id: StudyId): StudyCache | undefined {
    return this.caches.get(id)
  }

  /** Whether one more study fits without dropping another. */
  hasRoom(): boolean {
    return this.caches.size < this.maxStudies && this.heldSize() < this.maxSize
  }

  /** Drops least recently used caches (never `keep`) until the bounds hold. */
  private shrink(keep: StudyCache): void {
    let size = this.heldSize()
    for (const [id, c] of this.caches) {
      if (this.caches.size <= this.maxStudies && size <= this.maxSize) return
      if (c === keep) continue
      this.caches.delete(id)
      size -= c.size
    }
  }

  private heldSize(): number {
    let size = 0
    for (const c of this.caches.values()) size += c.size
    return size
  }
}
