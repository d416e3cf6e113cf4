// `record:` in a study file: the SHA-256 of the listed data and config inputs is stored with the study, shown in the
// report, compared when the study continues; a missing input is a clear error that writes nothing.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '../src/storage/open-storage.ts'
import { tempDir, winnow, writeNodeStudy } from './cli-helpers.ts'

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`

test('record: hashes data files and folders, stores them, warns when they change, and the report shows them', async () => {
  const dir = tempDir('winnow-record-')
  mkdirSync(join(dir, 'data', 'shards'), { recursive: true })
  writeFileSync(join(dir, 'data', 'train.jsonl'), '{"text": "a"}\n')
  writeFileSync(join(dir, 'data', 'shards', 'part-0.jsonl'), '{"text": "b"}\n')
  writeFileSync(join(dir, 'lora.json'), '{"r": 8}\n')
  const extra = 'record: {data: [data/train.jsonl, data/shards], config: [lora.json]}\n'
  writeNodeStudy(dir, { name: 'rec', trials: 2, concurrency: 1, steps: 2, sleepMs: 1, extra })

  // A missing input: exit 2, the key and the path named, no database created.
  writeFileSync(join(dir, 'bad.yaml'), readFileSync(join(dir, 'study.yaml'), 'utf8').replace('lora.json', 'nope.json'))
  const bad = winnow(['tune', 'bad.yaml', '-q'], dir)
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /bad\.yaml:\d+:\d+ record\.config\[0\]: .*nope\.json does not exist/)
  assert.ok(!existsSync(join(dir, 'winnow.db')), 'nothing written')

  assert.equal(winnow(['tune', 'study.yaml', '-q'], dir).code, 0)
  const storage = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    const first = (await storage.findStudy('rec'))!.systemAttrs.inputHashes as Record<string, Record<string, string>>
    assert.equal(first.data['data/train.jsonl'], sha('{"text": "a"}\n'))
    assert.equal(first.config['lora.json'], sha('{"r": 8}\n'))
    assert.match(first.data['data/shards'], /^sha256:[0-9a-f]{64}$/)

    // Same inputs: no warning. A file inside the folder changes: the next run says so and keeps the old hashes.
    const again = winnow(['tune', 'study.yaml', '-q', '--trials', '3'], dir)
    assert.equal(again.code, 0, again.stderr)
    assert.doesNotMatch(again.stderr, /Warning/)
    appendFileSync(join(dir, 'data', 'shards', 'part-0.jsonl'), '{"text": "c"}\n')
    const changed = winnow(['tune', 'study.yaml', '-q', '--trials', '4'], dir)
    assert.equal(changed.code, 0, changed.stderr)
    assert.match(
      changed.stderr,
      /Warning: recorded inputs of study "rec" changed since trial #2: data: data\/shards\. Trials before #3/,
    )
    const info = (await storage.findStudy('rec'))!
    const now = info.systemAttrs.inputHashes as Record<string, Record<string, string>>
    assert.notEqual(now.data['data/shards'], first.data['data/shards'])
    assert.equal(now.data['data/train.jsonl'], first.data['data/train.jsonl'])
    const earlier = info.systemAttrs.earlierStudyFiles as { inputHashes: unknown; untilTrial: number }[]
    assert.deepEqual(
      earlier.map((e) => [e.inputHashes, e.untilTrial]),
      [[first, 3]],
    )
  } finally {
    await storage.close()
  }

  // A follow-up made by `winnow focus` copies `record:`; its first run records the hashes without a warning.
  assert.equal(winnow(['tune', 'study.yaml', '-q', '--trials', '10'], dir).code, 0, 'focus needs 10 trials')
  assert.equal(winnow(['focus', 'rec', '--keep', '1'], dir).code, 0)
  const follow = winnow(['tune', 'rec-focused.yaml', '-q', '--trials', '2'], dir)
  assert.equal(follow.code, 0, follow.stderr)
  assert.doesNotMatch(follow.stderr, /Warning/)
  const s2 = await openStorage(`sqlite:${join(dir, 'winnow.db')}`)
  try {
    const hashes = (await s2.findStudy('rec-focused'))!.systemAttrs.inputHashes as Record<
      string,
      Record<string, string>
    >
    assert.equal(hashes.config['lora.json'], sha('{"r": 8}\n'))
  } finally {
    await s2.close()
  }

  const report = winnow(['report', 'rec'], dir)
  assert.equal(report.code, 0, report.stderr)
  const md = readFileSync(join(dir, 'rec-report.md'), 'utf8')
  assert.ok(
    md.includes(`data data/train.jsonl`) && md.includes(sha('{"text": "a"}\n').slice(7)),
    'report lists the hashes',
  )
})
