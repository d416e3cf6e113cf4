import { writeFileSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ParamValues } from '../core/distributions/distribution.ts'

/** The folder of the Python client, put first on a trial's PYTHONPATH so `import winnow_client` works. */
export const PYTHON_CLIENT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../clients/python')

/** Inputs of `trialEnv`. */
export interface TrialEnvInput {
  readonly trialId: number
  readonly trialNumber: number
  /** A random key of this attempt (`WINNOW_ATTEMPT`): how a later run recognises its left-over processes. */
  readonly attemptKey: string
  readonly study: string
  readonly params: ParamValues
  readonly paramsFile: string
  readonly checkpointDir: string
  readonly resumeFrom?: string
  readonly target?: number
  readonly report?: { readonly url: string; readonly token: string }
  readonly cudaVisibleDevices?: string
  readonly pythonUnbuffered: boolean
  readonly userEnv?: Readonly<Record<string, string>>
  /** The parent's environment (for PYTHONPATH). @default process.env */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>
}

/**
 * Builds the WINNOW_* environment of a trial attempt (ARCHITECTURE §3) and writes its params file. User
 * variables come first so Winnow's own cannot be overridden by accident.
 */
export function trialEnv(i: TrialEnvInput): Record<string, string> {
  const paramsJson = JSON.stringify(i.params)
  writeFileSync(i.paramsFile, `${paramsJson}\n`)
  const parent = i.parentEnv ?? process.env
  const basePath = i.userEnv?.PYTHONPATH ?? parent.PYTHONPATH
  const env: Record<string, string> = {
    ...i.userEnv,
    WINNOW_TRIAL_ID: String(i.trialId),
    WINNOW_TRIAL_NUMBER: String(i.trialNumber),
    WINNOW_ATTEMPT: i.attemptKey,
    WINNOW_STUDY: i.study,
    WINNOW_PARAMS: paramsJson,
    WINNOW_PARAMS_FILE: i.paramsFile,
    WINNOW_CHECKPOINT_DIR: i.checkpointDir,
    WINNOW_RESUME_FROM: i.resumeFrom ?? '',
    WINNOW_TARGET: i.target === undefined ? '' : String(i.target),
    WINNOW_REPORT_URL: i.report?.url ?? '',
    WINNOW_TOKEN: i.report?.token ?? '',
    PYTHONPATH: basePath ? `${PYTHON_CLIENT_DIR}${delimiter}${basePath}` : PYTHON_CLIENT_DIR,
  }
  if (i.pythonUnbuffered) env.PYTHONUNBUFFERED = '1'
  if (i.cudaVisibleDevices !== undefined) env.CUDA_VISIBLE_DEVICES = i.cudaVisibleDevices
  return env
}

/** The params file path of a trial attempt inside its log folder. */
export function paramsFilePath(logDir: string, trialNumber: number): string {
  return join(logDir, `trial-${String(trialNumber).padStart(4, '0')}.params.json`)
}
