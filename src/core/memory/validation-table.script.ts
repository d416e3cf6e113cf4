// Prints the memory model's validation table (README.md) as Markdown:
//   node --import tsx src/core/memory/validation-table.script.ts
import { estimateMemory } from './estimate-memory.ts'
import { resolveModel } from './model-catalog.ts'
import { PUBLISHED_MEASUREMENTS } from './published-measurements.ts'

console.log('| Configuration | Published GB | Kind | Estimated GB | Error | Source |')
console.log('|---|---:|---|---:|---:|---|')
for (const p of PUBLISHED_MEASUREMENTS) {
  const model = resolveModel(p.model)
  if (model === undefined) throw new Error(`unknown model ${p.model}`)
  const e = estimateMemory({ model, ...p.input }).totalGb
  const err = ((e / p.publishedGb - 1) * 100).toFixed(1)
  console.log(`| ${p.label} | ${p.publishedGb.toFixed(2)} | ${p.kind} | ${e.toFixed(2)} | ${err}% | ${p.source} |`)
}
