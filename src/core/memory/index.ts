/**
 * The GPU-memory model: estimates the peak memory of a fine-tuning configuration from the model's shape and the
 * training settings, and learns a per-study limit from real out-of-memory failures. Pure: no I/O.
 * @module
 */

export {
  estimateMemory,
  type FineTuneMethod,
  loraParams,
  type MemoryEstimate,
  type MemoryInput,
  OPTIMIZER_KINDS,
  type OptimizerKind,
  type Precision,
  type TargetModules,
  targetNames,
} from './estimate-memory.ts'
export { correctedLimit, fitsUnder, type MemoryObservations } from './limit-correction.ts'
export { knownModelNames, normalizeModelName, resolveModel } from './model-catalog.ts'
export {
  blockLinears,
  LINEAR_NAMES,
  type LinearModule,
  type LinearName,
  linearParams,
  type ModelShape,
  totalParams,
} from './model-shape.ts'
export { type MeasurementKind, PUBLISHED_MEASUREMENTS, type PublishedMeasurement } from './published-measurements.ts'
