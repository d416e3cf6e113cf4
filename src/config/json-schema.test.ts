import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { STUDY_JSON_SCHEMA_PATH, studyJsonSchema, studyJsonSchemaText } from './json-schema.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

test('the committed schema/study.schema.json equals a fresh emit (run `npm run build:schema`)', () => {
  const committed = readFileSync(resolve(root, STUDY_JSON_SCHEMA_PATH), 'utf8')
  assert.equal(committed, studyJsonSchemaText())
})

test('the JSON Schema rejects unknown top-level keys and lists the documented fields', () => {
  const schema = studyJsonSchema() as {
    additionalProperties: unknown
    properties: Record<string, unknown>
    required: string[]
  }
  assert.equal(schema.additionalProperties, false)
  for (const key of ['name', 'metric', 'metrics', 'command', 'space', 'baseline', 'sampler', 'scheduler', 'budget'])
    assert.ok(key in schema.properties, key)
  assert.deepEqual([...schema.required].sort(), ['command', 'name', 'space'])
})

test('the budget fields say what they count: wall_time per run, trials and gpu_hours the whole study', () => {
  const budget = (
    studyJsonSchema() as { properties: Record<string, { properties: Record<string, { description?: string }> }> }
  ).properties.budget.properties
  assert.match(budget.wall_time.description ?? '', /^Per run/)
  assert.match(budget.trials.description ?? '', /whole study/)
  assert.match(budget.gpu_hours.description ?? '', /whole study/)
})
