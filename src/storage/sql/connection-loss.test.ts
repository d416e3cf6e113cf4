import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isConnectionLoss, throughOutage } from './postgres-driver.ts'

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

test('a lost connection is recognised by its code or message; a bad statement is not', () => {
  assert.ok(isConnectionLoss(refused()))
  assert.ok(
    isConnectionLoss(
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ),
  )
  assert.ok(isConnectionLoss(Object.assign(new Error('connection failure'), { code: '08006' })))
  assert.ok(isConnectionLoss(new Error('Connection terminated unexpectedly')))
  assert.equal(isConnectionLoss(Object.assign(new Error('syntax error'), { code: '42601' })), false)
  assert.equal(isConnectionLoss(Object.assign(new Error('unique violation'), { code: '23505' })), false)
})

test('throughOutage retries while the server is away, and gives up with what to do after the outage limit', async () => {
  let calls = 0
  const flaky = async () => {
    if (++calls < 3) throw refused()
    return 'ok'
  }
  assert.equal(await throughOutage(flaky, 'postgres://u@h/db', 5000), 'ok')
  assert.equal(calls, 3)
  await assert.rejects(
    throughOutage(async () => Promise.reject(refused()), 'postgres://u@h/db', 600),
    /Lost the connection to postgres:\/\/u@h\/db for \d+ s \(connect ECONNREFUSED .*\); gave up\. Everything already stored is kept: run the same command again/,
  )
  await assert.rejects(
    throughOutage(async () => Promise.reject(Object.assign(new Error('syntax error'), { code: '42601' })), 'x', 5000),
    /syntax error/,
    'other errors are not retried',
  )
})
