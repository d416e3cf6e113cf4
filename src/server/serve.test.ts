import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import { test } from 'node:test'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import { startDashboard } from './serve.ts'

/** Listens on 127.0.0.1:port; undefined when something else already holds it (it is in use either way). */
function occupy(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(undefined))
    s.listen(port, '127.0.0.1', () => resolve(s))
  })
}

test('a port in use is a UsageError naming that port, the default one too', async () => {
  const taken = await occupy(0)
  assert.ok(taken !== undefined)
  const port = (taken.address() as { port: number }).port
  // The default port (8080) is held here, or by someone else: in use either way.
  const byDefault = await occupy(8080)
  try {
    await assert.rejects(startDashboard({ storage: new MemoryStorage(), port }), {
      code: 'usage',
      message: `Port ${port} on 127.0.0.1 is in use. Pass another --port, or --port 0 for any free one.`,
    })
    await assert.rejects(startDashboard({ storage: new MemoryStorage() }), {
      code: 'usage',
      message: /^Port 8080 on 127\.0\.0\.1 is in use\./,
    })
  } finally {
    taken.close()
    byDefault?.close()
  }
})
