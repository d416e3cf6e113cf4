#!/usr/bin/env node
// The `winnow` command. Winnow ships as TypeScript run through tsx (no build step), so the bin registers
// tsx's loader and then hands over to the CLI's composition root.
import { register } from 'tsx/esm/api'

register()
const { run } = await import('../src/cli/main.ts')
await run(process.argv.slice(2))
