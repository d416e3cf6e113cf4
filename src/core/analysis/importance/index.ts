/**
 * Parameter importance: which hyperparameters moved the objective. fANOVA on a seeded random forest and PED-ANOVA,
 * plus the one-at-a-time sensitivity of a baseline.
 * @module
 */

import type { FrozenTrial } from '../../trial/frozen-trial.ts'
import type { ParamImportance } from './encode.ts'
import { type FanovaOptions, fanovaImportance } from './fanova.ts'
import { type PedAnovaOptions, pedAnovaImportance } from './ped-anova.ts'

export { type ImportanceOptions, importanceSpace, type ParamImportance } from './encode.ts'
export { type FanovaOptions, fanovaImportance, treeVariances } from './fanova.ts'
export { type PedAnovaOptions, pedAnovaImportance } from './ped-anova.ts'
export { type ForestOptions, fitForest, predictForest } from './random-forest.ts'
export { buildTree, predictTree, type RegressionTree, type TreeOptions } from './regression-tree.ts'
export { type SensitivityPoint, type SensitivityResult, sensitivity } from './sensitivity.ts'

/** The importance methods by name, as the CLI and reports name them. */
export const IMPORTANCE_METHODS = ['fanova', 'ped-anova'] as const

/** An importance method's name. */
export type ImportanceMethod = (typeof IMPORTANCE_METHODS)[number]

/** Runs the named importance method on the trials. */
export function paramImportance(
  method: ImportanceMethod,
  trials: readonly FrozenTrial[],
  opts: FanovaOptions & PedAnovaOptions = {},
): ParamImportance[] {
  return method === 'fanova' ? fanovaImportance(trials, opts) : pedAnovaImportance(trials, opts)
}
