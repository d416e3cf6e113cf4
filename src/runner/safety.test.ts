import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { MemoryStorage } from '../storage/memory/memory-storage.ts'
import { ProtocolEndpoint } from './protocol/endpoint.ts'
import { FIXTURES, makeStudy, PYTHON, testRunner, tmp } from './testing/harness.ts'

test('shell metacharacters in a categorical value reach the trial as one literal argument', async () => {
  const study = await makeStudy()
  const work = tmp('winnow-inject-')
  const evil = ['$(touch pwned)', '; rm -rf x', '`touch pwned2`', "' && touch pwned3 '"]
  for (const name of evil) {
    await study.enqueue({ lr: 0.1, name })
  }
  const { runner, dir } = testRunner(study, {
    suggest: (t) => {
      t.suggestFloat('lr', 0.01, 0.2)
      t.suggestCategorical('name', evil)
    },
    cwd: work,
    command: (p) => [
      PYTHON,
      join(FIXTURES, 'py_trial.py'),
      '--steps',
      '1',
      '--name',
      String(p.name),
      '--argv-out',
      `argv-${evil.indexOf(String(p.name))}.json`,
    ],
    budget: { trials: evil.length },
  })
  const s = await runner.run()
  assert.equal(s.completed, evil.length)
  for (const [i, name] of evil.entries()) {
    const argv = JSON.parse(readFileSync(join(work, `argv-${i}.json`), 'utf8')) as string[]
    assert.equal(argv[argv.indexOf('--name') + 1], name)
  }
  const made = readdirSync(work).filter((f) => !f.startsWith('argv-'))
  assert.deepEqual(made, [], `the trials created ${made.join(', ')}`)
  assert.equal(existsSync(join(dir, 'pwned')), false)
  assert.equal(existsSync(join(process.cwd(), 'pwned')), false)
})

test('the endpoint listens on 127.0.0.1 only and refuses a wrong token without recording anything', async () => {
  const ep = await ProtocolEndpoint.start()
  const got: unknown[] = []
  try {
    assert.match(ep.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const reg = ep.register('7', async (m) => {
      got.push(m)
      return { action: 'prune', reason: 'r' }
    })
    const post = (token: string | undefined, path = 'report', body: unknown = { step: 1, metrics: { eval_loss: 1 } }) =>
      fetch(`${reg.url}/${path}`, {
        method: 'POST',
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
    assert.equal((await post('wrong')).status, 401)
    assert.equal((await post(undefined)).status, 401)
    assert.equal((await post(`${reg.token.slice(0, -1)}x`)).status, 401)
    assert.deepEqual(got, [])
    const other = await fetch(`${ep.url}/v1/trials/8/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reg.token}` },
      body: '{}',
    })
    assert.equal(other.status, 401, "a trial's token is not valid for another trial")
    assert.equal((await post(reg.token, 'report', { step: -1, metrics: {} })).status, 400)
    const ok = await post(reg.token)
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { decision: { action: 'prune', reason: 'r' } })
    // The malformed report was answered 400 and told to the attempt as such (a broken `complete` fails a trial).
    assert.deepEqual(
      got.map((m) => (m as { type: string }).type),
      ['invalid', 'report'],
    )
    // Not reachable on another interface address of this machine.
    const port = new URL(ep.url).port
    const { networkInterfaces } = await import('node:os')
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    if (external !== undefined)
      await assert.rejects(fetch(`http://${external.address}:${port}/v1/trials/7/report`, { method: 'POST' }))
  } finally {
    await ep.close()
  }
})

test('user env cannot override the per-trial token (the trial still reports with the real one)', async () => {
  const storage = new MemoryStorage()
  const study = await makeStudy({ storage })
  const { runner } = testRunner(study, {
    command: () => [PYTHON, join(FIXTURES, 'py_trial.py'), '--steps', '2'],
    env: { WINNOW_TOKEN: 'forged' }, // user env cannot override Winnow's own token
  })
  await runner.run()
  const [t] = await study.trials()
  assert.equal(t.state, 'COMPLETE')
  assert.equal(t.intermediate.length, 2)
})
