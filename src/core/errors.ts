/**
 * Errors Winnow raises on purpose. Every message says what is wrong, the values involved, and one hint;
 * `code` is stable so callers (CLI, HTTP API) can branch on it without parsing text.
 */
export type ErrorCode =
  | 'usage'
  | 'invalid_search_space'
  | 'invalid_value'
  | 'invalid_config'
  | 'study_not_found'
  | 'study_exists'
  | 'trial_not_found'
  | 'trial_state'
  | 'storage'
  | 'sampler_exhausted'
  | 'not_enough_trials'
  | 'timeout'

/** The base class of every error Winnow throws deliberately. */
export class WinnowError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** A bad argument, flag or file given by the user; the CLI prints it as one line and exits 2. */
export class UsageError extends WinnowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options)
  }
}

/** A search space or parameter value that breaks a rule (bounds, log with low <= 0, ...). */
export class SearchSpaceError extends WinnowError {
  constructor(message: string) {
    super('invalid_search_space', message)
  }
}

/** A trial state change that the state machine forbids (e.g. finishing a trial twice). */
export class TrialStateError extends WinnowError {
  constructor(message: string) {
    super('trial_state', message)
  }
}

/** Thrown when a study name or id does not exist in the storage. */
export class StudyNotFoundError extends WinnowError {
  /** `create` says how a study comes to exist when there is none (the CLI's default: `winnow tune`). */
  constructor(name: string, where = 'this storage', known: readonly string[] = [], create?: string) {
    const hint =
      known.length > 0
        ? `Studies there: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}.`
        : create !== undefined
          ? `It has no studies; ${create}.`
          : 'Run `winnow studies` to list the studies, or pass --storage to look elsewhere.'
    super('study_not_found', `Study "${name}" does not exist in ${where}. ${hint}`)
  }
}

/** Thrown when creating a study whose name is taken. */
export class StudyExistsError extends WinnowError {
  constructor(name: string) {
    super('study_exists', `Study "${name}" already exists. Pass loadIfExists (CLI: --resume) to continue it.`)
  }
}

/** Thrown by a finite sampler (grid) when every point has been handed out. */
export class SamplerExhaustedError extends WinnowError {
  constructor(message: string) {
    super('sampler_exhausted', message)
  }
}

/** An analysis (importance, focus) asked of a study with too few usable trials; the fix is to run more. */
export class NotEnoughTrialsError extends WinnowError {
  constructor(message: string) {
    super('not_enough_trials', message)
  }
}
