#!/usr/bin/env node
// The `winnow` command: the compiled CLI when it is current (see entry.js), else the sources through tsx's loader.
import { join } from 'node:path'
import { compiledIsCurrent } from './entry.js'

const root = join(import.meta.dirname, '..')
let main
if (compiledIsCurrent(root)) main = await import('../dist/cli/main.js')
else {
  const { register } = await import('tsx/esm/api')
  register()
  main = await import('../src/cli/main.ts')
}
await main.run(process.argv.slice(2))
