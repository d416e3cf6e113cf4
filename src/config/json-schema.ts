import * as z from 'zod'
import { studySchema } from './study-schema.ts'

/** Where the committed JSON Schema lives, relative to the repository root. */
export const STUDY_JSON_SCHEMA_PATH = 'schema/study.schema.json'

/**
 * The JSON Schema of the study file (the input side: what users may write), for editor completion via
 * `# yaml-language-server: $schema=.../schema/study.schema.json`. Cross-field rules (when references, baseline,
 * placeholders) are checked by the loader only.
 */
export function studyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(studySchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Winnow study file',
  }
}

/** The schema as the text committed to the repository (2-space JSON plus a final newline). */
export function studyJsonSchemaText(): string {
  return `${JSON.stringify(studyJsonSchema(), null, 2)}\n`
}
