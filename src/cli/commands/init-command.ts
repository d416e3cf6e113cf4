import type { Command } from 'commander'
import { RECIPE_NAMES, RECIPES } from '../../recipes/recipes.ts'
import { writeRecipe } from '../../recipes/write-recipe.ts'

/** `winnow init --recipe <name>`: writes a study file and a training script with literature-backed defaults. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(`write study.yaml and train.py for a fine-tuning recipe (${RECIPE_NAMES.join(', ')})`)
    .requiredOption('-r, --recipe <name>', `recipe: ${RECIPE_NAMES.join(' | ')}`)
    .option('-d, --dir <folder>', 'where to write the files', '.')
    .option('-m, --model <name>', "Hugging Face model id or local path (default: the recipe's model)")
    .option('-f, --force', 'overwrite existing files')
    .action((flags: { recipe: string; dir: string; model?: string; force?: boolean }) => {
      const paths = writeRecipe(flags)
      const recipe = RECIPES[flags.recipe as keyof typeof RECIPES]
      for (const p of paths) console.log(`wrote ${p}`)
      console.log(`Recipe ${recipe.name}: ${recipe.description}.`)
      console.log(
        `Next: download the model (huggingface-cli download ${flags.model ?? recipe.defaultModel}), then run \`winnow tune ${paths[0]}\`.`,
      )
    })
}
