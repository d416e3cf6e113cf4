import type { ModelShape } from './model-shape.ts'

type Shape = Omit<ModelShape, 'name'>

// Shapes from each model's published config.json (hidden_size, intermediate_size, num_hidden_layers,
// num_attention_heads, num_key_value_heads, head_dim, vocab_size, tie_word_embeddings).
const llama = (layers: number, hidden: number, intermediate: number, heads: number, kvHeads: number, vocab: number) =>
  ({ layers, hidden, intermediate, heads, kvHeads, vocab, tiedEmbeddings: false, gatedMlp: true }) as Shape
const tied = (s: Shape): Shape => ({ ...s, tiedEmbeddings: true })

const SHAPES: Readonly<Record<string, Shape>> = {
  'llama-7b': llama(32, 4096, 11008, 32, 32, 32000),
  'llama-13b': llama(40, 5120, 13824, 40, 40, 32000),
  'llama-33b': llama(60, 6656, 17920, 52, 52, 32000),
  'llama-65b': llama(80, 8192, 22016, 64, 64, 32000),
  'llama-2-7b': llama(32, 4096, 11008, 32, 32, 32000),
  'llama-2-13b': llama(40, 5120, 13824, 40, 40, 32000),
  'llama-2-70b': llama(80, 8192, 28672, 64, 8, 32000),
  'llama-3-8b': llama(32, 4096, 14336, 32, 8, 128256),
  'llama-3-70b': llama(80, 8192, 28672, 64, 8, 128256),
  'llama-3.2-1b': tied(llama(16, 2048, 8192, 32, 8, 128256)),
  'llama-3.2-3b': tied(llama(28, 3072, 8192, 24, 8, 128256)),
  'mistral-7b': llama(32, 4096, 14336, 32, 8, 32000),
  'qwen2.5-0.5b': tied(llama(24, 896, 4864, 14, 2, 151936)),
  'qwen2.5-1.5b': tied(llama(28, 1536, 8960, 12, 2, 151936)),
  'qwen2.5-3b': tied(llama(36, 2048, 11008, 16, 2, 151936)),
  'qwen2.5-7b': llama(28, 3584, 18944, 28, 4, 152064),
  'qwen2.5-14b': llama(48, 5120, 13824, 40, 8, 152064),
  'qwen2.5-32b': llama(64, 5120, 27648, 40, 8, 152064),
  'qwen2.5-72b': llama(80, 8192, 29568, 64, 8, 152064),
  'gemma-2-2b': { ...tied(llama(26, 2304, 9216, 8, 4, 256000)), headDim: 256 },
  'gemma-2-9b': { ...tied(llama(42, 3584, 14336, 16, 8, 256000)), headDim: 256 },
  'gemma-2-27b': { ...tied(llama(46, 4608, 36864, 32, 16, 256000)), headDim: 128 },
  'phi-3-mini': llama(32, 3072, 8192, 32, 32, 32064),
  'tinyllama-1.1b': llama(22, 2048, 5632, 32, 4, 32000),
  // GPT-2 and BERT: plain GELU MLP, learned position embeddings and biases (hence the published counts).
  gpt2: { ...tied(llama(12, 768, 3072, 12, 12, 50257)), gatedMlp: false, params: 124_439_808 },
  'gpt2-medium': { ...tied(llama(24, 1024, 4096, 16, 16, 50257)), gatedMlp: false, params: 354_823_168 },
  'gpt2-large': { ...tied(llama(36, 1280, 5120, 20, 20, 50257)), gatedMlp: false, params: 774_030_080 },
  'gpt2-xl': { ...tied(llama(48, 1600, 6400, 25, 25, 50257)), gatedMlp: false, params: 1_557_611_200 },
  'bert-large': { ...tied(llama(24, 1024, 4096, 16, 16, 30522)), gatedMlp: false, params: 335_141_888 },
}

// Other names of the same shapes: later releases of one architecture and size.
const ALIASES: Readonly<Record<string, string>> = {
  'llama-3.1-8b': 'llama-3-8b',
  'llama-3.1-70b': 'llama-3-70b',
  'llama-3.3-70b': 'llama-3-70b',
  'qwen2-0.5b': 'qwen2.5-0.5b',
  'qwen2-1.5b': 'qwen2.5-1.5b',
  'qwen2-7b': 'qwen2.5-7b',
  'qwen2-72b': 'qwen2.5-72b',
  'gpt2-small': 'gpt2',
  'bert-large-uncased': 'bert-large',
  'bert-large-cased': 'bert-large',
  tinyllama: 'tinyllama-1.1b',
}

/** Names `resolveModel` knows (aliases excluded), sorted. */
export function knownModelNames(): string[] {
  return Object.keys(SHAPES).sort()
}

/**
 * The catalogue key for a model name as users write it: lower case, without the organisation
 * (`meta-llama/`), a `meta-` prefix, or release suffixes (`-hf`, `-instruct`, `-chat`, `-it`, `-base`,
 * `-v0.3`, `-4k`), so `meta-llama/Meta-Llama-3.1-8B-Instruct` becomes `llama-3.1-8b`.
 */
export function normalizeModelName(name: string): string {
  let n = name.trim().toLowerCase()
  n = n.slice(n.lastIndexOf('/') + 1).replace(/^meta-/, '')
  for (;;) {
    const next = n.replace(/-(hf|instruct|chat|it|base|v\d+(\.\d+)*|\d+k)$/, '')
    if (next === n) break
    n = next
  }
  return ALIASES[n] ?? n
}

/** The shape of a known model, or undefined (see `knownModelNames`). */
export function resolveModel(name: string): ModelShape | undefined {
  const key = normalizeModelName(name)
  const shape = SHAPES[key]
  return shape === undefined ? undefined : { name: key, ...shape }
}
