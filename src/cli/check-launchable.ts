/**
 * Before a study is created or continued: the trials' working folder exists and the command's program can be
 * started. Why here: the runner would find out only by failing the first trials the same way, which are then
 * stored and count toward the trial budget — a typo in `command` must leave nothing behind.
 *
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { type PathIssue, type StudyConfig, studyFileError } from '../config/index.ts'
import { UsageError } from '../core/errors.ts'

/**
 * @throws ConfigError locating `cwd` or `command[0]` in the study file; with `stored` (a worker joining from the
 * stored study file, which may not exist on this machine) a UsageError.
 */
export function checkLaunchable(config: StudyConfig, stored = false): void {
  const issues = launchIssues(config)
  if (issues.length === 0) return
  if (stored)
    throw new UsageError(`Study "${config.name}": ${issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' ')}`)
  throw studyFileError(config.file, issues)
}

function launchIssues(config: StudyConfig): PathIssue[] {
  if (!isFolder(config.cwd))
    return [
      {
        path: ['cwd'],
        message: `is ${config.cwd}, which ${exists(config.cwd) ? 'is not a folder' : 'does not exist'}. Fix the path (relative to the study file) or create the folder.`,
      },
    ]
  const program = config.command[0]
  // A program chosen by a placeholder is only known per trial.
  if (program === undefined || program.includes('{')) return []
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(config.cwd, program)
    if (!exists(path))
      return [
        {
          path: ['command', 0],
          message: `names ${path}, which does not exist. Fix the path (relative to cwd ${config.cwd}).`,
        },
      ]
    if (isFolder(path)) return [{ path: ['command', 0], message: `names ${path}, which is a folder, not a program.` }]
    if (!executable(path))
      return [
        {
          path: ['command', 0],
          message: `names ${path}, which is not executable. Run \`chmod +x ${program}\`, or start it through its interpreter (command: [python, ${program}, ...]).`,
        },
      ]
    return []
  }
  const searchPath = config.env?.PATH ?? process.env.PATH ?? ''
  // A relative PATH entry (venv/bin) is looked up from the trial's folder, as the trial's exec does.
  const found = searchPath
    .split(delimiter)
    .some((dir) => dir !== '' && isProgram(join(resolve(config.cwd, dir), program)))
  if (found) return []
  return [
    {
      path: ['command', 0],
      message: `is ${JSON.stringify(program)}, which is not a program on PATH. Check the name (e.g. python3 instead of python), or give its path.`,
    },
  ]
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function isProgram(path: string): boolean {
  return exists(path) && !isFolder(path) && executable(path)
}
