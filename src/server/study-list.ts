import { createHash } from 'node:crypto'
import { WinnowError } from '../core/errors.ts'
import type { Storage, StudyInfo } from '../core/storage.ts'
import type { StudyId } from '../core/trial/frozen-trial.ts'
import type { StudyCaches } from './study-cache.ts'
import { digestStudy, type StudyDigest } from './study-digest.ts'
import { digestOf } from './views.ts'

/**
 * The digests of every study of a storage, for the study list (`/`, `/api/studies`). A study whose trials are
 * cached (or fit in the caches) is read incrementally through them. Past the caches' bounds, a study is
 * summarised from one full read without keeping its trials, and its digest is kept: a later listing checks it
 * with one incremental read ("changed since the digest's version?") and reads the study again only when it
 * changed. So a storage with more studies than the caches hold is not re-read whole at every listing, which
 * walking every study through the least-recently-used caches would do.
 */
export class StudyList {
  private readonly kept = new Map<StudyId, StudyDigest>()
  private recent: { at: number; digests: Promise<StudyDigest[]> } | undefined

  constructor(
    private readonly storage: Storage,
    private readonly caches: StudyCaches,
  ) {}

  /** Every study's digest, in the storage's order; a study deleted while it is read is left out. */
  async digests(): Promise<StudyDigest[]> {
    const infos = await this.storage.listStudies()
    const out: StudyDigest[] = []
    for (const info of infos) {
      try {
        out.push(await this.digest(info))
      } catch (e) {
        if (!(e instanceof WinnowError && e.code === 'study_not_found')) throw e
      }
    }
    const listed = new Set(infos.map((i) => i.id))
    for (const id of this.kept.keys()) if (!listed.has(id)) this.kept.delete(id)
    return out
  }

  /**
   * `digests()`, shared by every caller within `maxAgeMs` (the list's event streams poll through it: one read per
   * interval however many pages are open).
   */
  recentDigests(maxAgeMs: number): Promise<StudyDigest[]> {
    const now = Date.now()
    if (this.recent === undefined || now - this.recent.at > maxAgeMs) {
      const digests = this.digests()
      this.recent = { at: now, digests }
      digests.catch(() => {
        if (this.recent?.digests === digests) this.recent = undefined
      })
    }
    return this.recent.digests
  }

  private async digest(info: StudyInfo): Promise<StudyDigest> {
    if (this.caches.peek(info.id) !== undefined || this.caches.hasRoom()) {
      this.kept.delete(info.id)
      return digestOf(await this.caches.forInfo(info))
    }
    const kept = this.kept.get(info.id)
    if (kept !== undefined) {
      const changes = await this.storage.listTrials(info.id, { sinceVersion: kept.version })
      if (changes.trials.length === 0) return kept
    }
    const all = await this.storage.listTrials(info.id)
    const digest = digestStudy(info, all.trials, all.version)
    this.kept.set(info.id, digest)
    return digest
  }
}

/** A short fingerprint of a listing (which studies, at which versions): it changes whenever the list page would. */
export function listSignature(digests: readonly StudyDigest[]): string {
  return createHash('sha256')
    .update(digests.map((d) => `${d.name}\0${d.createdAt}\0${d.version}`).join('\n'))
    .digest('hex')
    .slice(0, 16)
}
