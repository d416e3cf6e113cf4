import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { loadStudyFile } from '../config/load-study-file.ts'

/**
 * Lets every command that takes a study name take its study file instead (`winnow status study.yaml`, as one
 * naturally types after `winnow tune study.yaml`): the name and, unless `--storage` is given, the storage come from
 * the file, read as `winnow tune` reads them. Runs before the command's action (a preAction hook).
 */
export function studyFileArgument(cmd: Command): void {
  if (cmd.registeredArguments[0]?.name() !== 'study') return
  const arg = cmd.processedArgs[0]
  if (typeof arg !== 'string' || !/\.(ya?ml|json)$/i.test(arg) || !existsSync(arg) || !statSync(arg).isFile()) return
  const config = loadStudyFile(arg)
  cmd.processedArgs[0] = config.name
  if (cmd.getOptionValueSource('storage') === 'default') cmd.setOptionValue('storage', config.storage)
}
