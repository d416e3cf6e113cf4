#!/usr/bin/env node
// The `winnow` command runs the CLI from its TypeScript sources through tsx (`npm run build` compiles only the
// library surface, dist/), so the bin registers tsx's loader and then hands over to the CLI's composition root.
import { register } from 'tsx/esm/api'

register()
const { run } = await import('../src/cli/main.ts')
await run(process.argv.slice(2))
