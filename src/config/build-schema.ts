// `npm run build:schema`: writes schema/study.schema.json from the zod schema (json-schema.test.ts checks that the
// committed file is up to date).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STUDY_JSON_SCHEMA_PATH, studyJsonSchemaText } from './json-schema.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const out = resolve(root, STUDY_JSON_SCHEMA_PATH)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, studyJsonSchemaText())
console.log(`wrote ${STUDY_JSON_SCHEMA_PATH}`)
