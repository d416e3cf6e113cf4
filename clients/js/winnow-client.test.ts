import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { connect } from './winnow-client.ts'

test('outside Winnow the client is a no-op that says continue', async () => {
  const w = connect({})
  assert.equal(w.active, false)
  assert.deepEqual(w.params, {})
  assert.deepEqual(await w.report(1, { eval_loss: 1 }), { action: 'continue' })
  await w.complete({ eval_loss: 1 })
})

test('the client sends bearer-authenticated JSON and returns the decision; rank 1 stays silent', async () => {
  const seen: { url?: string; auth?: string; body: unknown }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) })
      res.end(JSON.stringify(req.url?.endsWith('/report') ? { decision: { action: 'prune', reason: 'r' } } : {}))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/trials/5`
  const env = {
    WINNOW_TRIAL_ID: '5',
    WINNOW_TRIAL_NUMBER: '2',
    WINNOW_PARAMS: '{"lr":0.1,"opt":"adam"}',
    WINNOW_REPORT_URL: url,
    WINNOW_TOKEN: 'tok',
    WINNOW_TARGET: '30',
    WINNOW_CHECKPOINT_DIR: '/tmp/c',
  }
  try {
    const w = connect(env)
    assert.deepEqual(w.params, { lr: 0.1, opt: 'adam' })
    assert.equal(w.trialNumber, 2)
    assert.equal(w.target, 30)
    assert.equal(w.checkpointDir, '/tmp/c')
    assert.equal(w.resumeFrom, undefined)
    assert.deepEqual(await w.report(3, { eval_loss: Number.NaN, tokens: 10 }), { action: 'prune', reason: 'r' })
    await w.checkpoint('/tmp/c/x', 3)
    assert.deepEqual(seen[0], {
      url: '/v1/trials/5/report',
      auth: 'Bearer tok',
      body: { step: 3, metrics: { eval_loss: 'NaN', tokens: 10 } },
    })
    assert.deepEqual(seen[1].body, { path: '/tmp/c/x', step: 3 })
    const rank1 = connect({ ...env, RANK: '1' })
    assert.deepEqual(await rank1.report(4, { eval_loss: 1 }), { action: 'continue' })
    // An empty RANK is unset (as in the Python client): LOCAL_RANK 1 is not rank 0 either.
    const local1 = connect({ ...env, RANK: '', LOCAL_RANK: '1' })
    assert.deepEqual(await local1.report(4, { eval_loss: 1 }), { action: 'continue' })
    assert.equal(seen.length, 2)
  } finally {
    server.close()
  }
})
