/**
 * The study file: schema, loading with located errors, the search space and argv rendering.
 * @module
 */

export type { PathIssue } from './check-space.ts'
export { ConfigError, type ConfigIssue, formatIssue } from './config-error.ts'
export { DURATION_HINT, parseDuration } from './duration.ts'
export { STUDY_JSON_SCHEMA_PATH, studyJsonSchema } from './json-schema.ts'
// Loading
export {
  loadStudyFile,
  type Objective,
  parseStudyFile,
  type StudyConfig,
  studyFileError,
} from './load-study-file.ts'
// Rendering argv
export { renderArgv, renderFloat, renderInt, renderValue } from './render.ts'
// Search space
export {
  activeParams,
  applySpace,
  conditionHolds,
  dependencyOrder,
  type SuggestingTrial,
  spaceDistributions,
  toDistribution,
} from './space.ts'
export type { ParamConfig, SpaceConfig, WhenConfig } from './space-schema.ts'
export { SAMPLER_TYPES, type SamplerConfig, SCHEDULER_TYPES, type SchedulerConfig } from './strategy-schema.ts'
// Schema and its types
export { DEFAULT_STORAGE, type StudyFileConfig, studySchema } from './study-schema.ts'
export { BUILTIN_PLACEHOLDERS, parseTemplate } from './template.ts'
