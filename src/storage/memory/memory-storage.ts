import type { Distribution, ParamValues } from '../../core/distributions/distribution.ts'
import { StudyExistsError, StudyNotFoundError } from '../../core/errors.ts'
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
import {
  type FrozenTrial,
  type IntermediateValue,
  lastSignOfLife,
  type StudyId,
  type TrialId,
  trialLabel,
} from '../../core/trial/frozen-trial.ts'
import { isFinished, type TrialState } from '../../core/trial/trial-state.ts'
import {
  assertUnfinished,
  checkStateChange,
  cloneJson,
  deepFreeze,
  emptyCounts,
  newParams,
  trialNotFound,
  validateNewStudy,
} from '../trial-rules.ts'

interface StudyRecord {
  info: StudyInfo
  version: number
  trials: TrialRecord[] // index = trial number
}

/** A trial's current snapshot; every change replaces it with a new frozen object. */
interface TrialRecord {
  study: StudyRecord
  snap: FrozenTrial
}

/**
 * Storage in this process's memory: for tests, notebooks and single-process runs that need no file.
 * JavaScript runs one callback at a time and every method does its work before its first `await`, so each
 * call is atomic; snapshots are deep-frozen copies, so callers cannot change what is stored.
 */
export class MemoryStorage implements Storage {
  readonly url = 'memory:'
  private readonly studies = new Map<number, StudyRecord>()
  private readonly trials = new Map<number, TrialRecord>()
  private nextStudyId = 1
  private nextTrialId = 1
  private readonly now: () => number

  /** @param opts.now clock in epoch ms (tests pass a fake one). */
  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now
  }

  async createStudy(spec: NewStudy, opts: { loadIfExists?: boolean } = {}) {
    const metricNames = validateNewStudy(spec)
    const existing = await this.findStudy(spec.name)
    if (existing !== undefined) {
      if (opts.loadIfExists) return { study: existing, created: false }
      throw new StudyExistsError(spec.name)
    }
    const info: StudyInfo = deepFreeze({
      id: this.nextStudyId++ as StudyId,
      name: spec.name,
      directions: [...spec.directions],
      metricNames: [...metricNames],
      userAttrs: cloneJson(spec.userAttrs ?? {}),
      systemAttrs: cloneJson(spec.systemAttrs ?? {}),
      createdAt: this.now(),
    })
    this.studies.set(info.id, { info, version: 0, trials: [] })
    return { study: info, created: true }
  }

  async findStudy(name: string): Promise<StudyInfo | undefined> {
    for (const s of this.studies.values()) if (s.info.name === name) return s.info
    return undefined
  }

  async getStudy(id: StudyId): Promise<StudyInfo> {
    return this.study(id).info
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => {
      const counts = emptyCounts()
      for (const t of s.trials) counts[t.snap.state]++
      return deepFreeze({ ...s.info, counts })
    })
  }

  async deleteStudy(id: StudyId): Promise<void> {
    const s = this.study(id)
    for (const t of s.trials) this.trials.delete(t.snap.id)
    this.studies.delete(id)
  }

  async setStudyAttrs(id: StudyId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void> {
    const s = this.study(id)
    const key = kind === 'user' ? 'userAttrs' : 'systemAttrs'
    s.info = deepFreeze({ ...s.info, [key]: { ...s.info[key], ...cloneJson(attrs) } })
    s.version++
  }

  async createTrial(studyId: StudyId, init: NewTrial = {}): Promise<FrozenTrial> {
    const s = this.study(studyId)
    const state = init.state ?? 'RUNNING'
    const now = this.now()
    const number = s.trials.length
    const params = init.params ?? {}
    const dists = init.distributions ?? {}
    // Reuse the conflict check so a value without a distribution is refused the same way as in setTrialParams.
    const checked = newParams(trialLabel({ number }, s.info.name), {}, {}, params, dists)
    const snap = deepFreeze<FrozenTrial>({
      id: this.nextTrialId++ as TrialId,
      studyId,
      number,
      state,
      params: cloneJson(checked.params),
      distributions: cloneJson(checked.distributions),
      values: null,
      intermediate: [],
      userAttrs: cloneJson(init.userAttrs ?? {}),
      systemAttrs: cloneJson(init.systemAttrs ?? {}),
      createdAt: now,
      startedAt: state === 'RUNNING' ? now : null,
      finishedAt: null,
      heartbeatAt: null,
      version: ++s.version,
    })
    const rec = { study: s, snap }
    s.trials.push(rec)
    this.trials.set(snap.id, rec)
    return snap
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    const s = this.study(studyId)
    const rec = s.trials.find((t) => t.snap.state === 'WAITING')
    if (rec === undefined) return undefined
    return this.update(rec, { state: 'RUNNING', startedAt: this.now(), heartbeatAt: null })
  }

  async setTrialParams(id: TrialId, params: ParamValues, distributions: Readonly<Record<string, Distribution>>) {
    const rec = this.trial(id)
    const label = this.label(rec)
    assertUnfinished(label, rec.snap.state, 'get new parameters')
    const add = newParams(label, rec.snap.params, rec.snap.distributions, params, distributions)
    if (Object.keys(add.params).length === 0) return
    this.update(rec, {
      params: { ...rec.snap.params, ...cloneJson(add.params) },
      distributions: { ...rec.snap.distributions, ...cloneJson(add.distributions) },
    })
  }

  async setTrialAttrs(id: TrialId, kind: 'user' | 'system', attrs: Readonly<Record<string, Json>>): Promise<void> {
    const rec = this.trial(id)
    assertUnfinished(this.label(rec), rec.snap.state, `change its ${kind} attributes`)
    const key = kind === 'user' ? 'userAttrs' : 'systemAttrs'
    this.update(rec, { [key]: { ...rec.snap[key], ...cloneJson(attrs) } })
  }

  async reportIntermediate(id: TrialId, step: number, value: number): Promise<void> {
    const rec = this.trial(id)
    assertUnfinished(this.label(rec), rec.snap.state, `record an intermediate value at step ${step}`)
    const intermediate: IntermediateValue[] = rec.snap.intermediate.filter((iv) => iv.step !== step)
    intermediate.push({ step, value })
    intermediate.sort((a, b) => a.step - b.step)
    this.update(rec, { intermediate })
  }

  async setTrialState(id: TrialId, to: TrialState, change?: StateChange): Promise<FrozenTrial> {
    const rec = this.trial(id)
    const from = rec.snap.state
    const values = checkStateChange(this.label(rec), from, to, change, rec.study.info.directions)
    const now = this.now()
    const patch: Partial<Mutable<FrozenTrial>> = { state: to, values }
    if (to === 'RUNNING') patch.startedAt = now
    if (to === 'WAITING') patch.heartbeatAt = null
    if (isFinished(to)) patch.finishedAt = now
    if (change?.systemAttrs !== undefined)
      patch.systemAttrs = { ...rec.snap.systemAttrs, ...cloneJson(change.systemAttrs) }
    return this.update(rec, patch)
  }

  async heartbeat(id: TrialId): Promise<void> {
    const rec = this.trial(id)
    // A beat that races with the trial's end (or with a requeue) is dropped rather than failing the worker.
    if (rec.snap.state !== 'RUNNING') return
    this.update(rec, { heartbeatAt: this.now() })
  }

  async getTrial(id: TrialId): Promise<FrozenTrial> {
    return this.trial(id).snap
  }

  async listTrials(studyId: StudyId, filter: TrialFilter = {}): Promise<TrialChanges> {
    const s = this.study(studyId)
    const since = filter.sinceVersion ?? -1
    const states = filter.states === undefined ? undefined : new Set(filter.states)
    const trials = s.trials
      .map((t) => t.snap)
      .filter((t) => t.version > since && (states === undefined || states.has(t.state)))
    return { trials, version: s.version }
  }

  async requeueStaleTrials(studyId: StudyId, staleBefore: number): Promise<FrozenTrial[]> {
    const s = this.study(studyId)
    const out: FrozenTrial[] = []
    for (const rec of s.trials) {
      const t = rec.snap
      if (t.state !== 'RUNNING') continue
      if (lastSignOfLife(t) < staleBefore) out.push(this.update(rec, { state: 'WAITING', heartbeatAt: null }))
    }
    return out
  }

  async close(): Promise<void> {}

  private study(id: StudyId): StudyRecord {
    const s = this.studies.get(id)
    if (s === undefined) throw new StudyNotFoundError(`with id ${id}`, 'memory:')
    return s
  }

  private trial(id: TrialId): TrialRecord {
    const rec = this.trials.get(id)
    if (rec === undefined) throw trialNotFound(id)
    return rec
  }

  private label(rec: TrialRecord): string {
    return trialLabel(rec.snap, rec.study.info.name)
  }

  /** Replaces a trial's snapshot with a patched, frozen copy at the study's next version. */
  private update(rec: TrialRecord, patch: Partial<Mutable<FrozenTrial>>): FrozenTrial {
    rec.snap = deepFreeze({ ...rec.snap, ...patch, version: ++rec.study.version })
    return rec.snap
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
