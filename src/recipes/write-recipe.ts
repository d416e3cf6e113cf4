import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../core/errors.ts'
import { RECIPE_NAMES, RECIPES, type RecipeName } from './recipes.ts'
import { renderStudy } from './render-study.ts'

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), 'templates')

/** Options of `writeRecipe`. */
export interface WriteRecipeOptions {
  readonly recipe: string
  /** @default '.' */
  readonly dir?: string
  /** @default the recipe's default model */
  readonly model?: string
  /** Overwrite existing files. @default false */
  readonly force?: boolean
}

/** Writes `study.yaml` and `train.py` of a recipe into a folder; returns the paths written. */
export function writeRecipe(o: WriteRecipeOptions): string[] {
  if (!(RECIPE_NAMES as readonly string[]).includes(o.recipe))
    throw new UsageError(`Unknown recipe "${o.recipe}". Use one of: ${RECIPE_NAMES.join(', ')}.`)
  const recipe = RECIPES[o.recipe as RecipeName]
  const dir = resolve(o.dir ?? '.')
  const files = {
    'study.yaml': renderStudy(recipe, { model: o.model ?? recipe.defaultModel }),
    'train.py': readFileSync(join(TEMPLATES, recipe.template), 'utf8'),
  }
  const paths = Object.keys(files).map((f) => join(dir, f))
  const taken = paths.filter((p) => existsSync(p))
  if (taken.length > 0 && !o.force)
    throw new UsageError(
      `${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}. Pass --force to overwrite, or --dir to write elsewhere.`,
    )
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return paths
}
