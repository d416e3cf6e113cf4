import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../core/errors.ts'
import { RECIPE_NAMES, RECIPES, type Recipe, type RecipeName } from './recipes.ts'
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
    'train.py': withBaselineDefaults(readFileSync(join(TEMPLATES, recipe.template), 'utf8'), recipe),
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

/**
 * The template with its `DEFAULTS` set to the recipe's baseline and fixed settings, so that the script run by hand (outside Winnow)
 * trains exactly trial #0: one template serves several recipes whose baselines differ (qlora-sft's constant
 * schedule, rank 64, …). Keys the recipe does not tune keep the template's value.
 */
export function withBaselineDefaults(template: string, recipe: Recipe): string {
  let out = template
  const values: [string, string | number][] = [
    ...recipe.params.map((p): [string, string | number] => [p.name, p.baseline]),
    ...Object.entries(recipe.fixed),
  ]
  for (const [name, baseline] of values) {
    // JS number text (2e-7, 0.0002, 16) and JSON strings are valid Python literals.
    const value = typeof baseline === 'number' ? String(baseline) : JSON.stringify(baseline)
    const line = new RegExp(`^( {4}"${name}": )[^,\n]+,`, 'm')
    if (!line.test(out))
      throw new Error(`Template ${recipe.template} has no DEFAULTS entry for ${name}: add it (a bug in the recipe).`)
    out = out.replace(line, `$1${value},`)
  }
  return out
}
