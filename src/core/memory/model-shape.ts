/** The shape of a decoder (or encoder) transformer: what the memory model needs to know about a model. */
export interface ModelShape {
  /** A display name, e.g. `llama-3-8b`. */
  readonly name: string
  readonly layers: number
  readonly hidden: number
  /** MLP width (intermediate size). */
  readonly intermediate: number
  readonly heads: number
  /** Key/value heads (grouped-query attention); = heads for plain multi-head attention. */
  readonly kvHeads: number
  /** Per-head width; defaults to hidden / heads (Gemma-2 sets it apart). */
  readonly headDim?: number
  readonly vocab: number
  /** Output projection shares the embedding matrix. */
  readonly tiedEmbeddings: boolean
  /** Gated MLP (SwiGLU / GeGLU: gate, up, down) as in Llama; false for GPT-2 / BERT (fc in, fc out). */
  readonly gatedMlp: boolean
  /** Published parameter count, when it differs from the count implied by the shape (position embeddings, biases). */
  readonly params?: number
}

/** One linear layer of a transformer block, with its input and output widths. */
export interface LinearModule {
  readonly name: LinearName
  readonly inFeatures: number
  readonly outFeatures: number
}

/** Linear layers of a block, named as in Hugging Face Llama (GPT-2's fc in / fc out are up_proj / down_proj). */
export type LinearName = 'q_proj' | 'k_proj' | 'v_proj' | 'o_proj' | 'gate_proj' | 'up_proj' | 'down_proj'

/** Every linear layer name, in block order. */
export const LINEAR_NAMES: readonly LinearName[] = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
]

/** Width of the query projection output (heads × head width). */
export function queryWidth(s: ModelShape): number {
  return s.heads * (s.headDim ?? s.hidden / s.heads)
}

/** Width of each of the key and value projection outputs. */
export function kvWidth(s: ModelShape): number {
  return s.kvHeads * (s.headDim ?? s.hidden / s.heads)
}

/** The linear layers of one transformer block. */
export function blockLinears(s: ModelShape): LinearModule[] {
  const q = queryWidth(s)
  const kv = kvWidth(s)
  const out: LinearModule[] = [
    { name: 'q_proj', inFeatures: s.hidden, outFeatures: q },
    { name: 'k_proj', inFeatures: s.hidden, outFeatures: kv },
    { name: 'v_proj', inFeatures: s.hidden, outFeatures: kv },
    { name: 'o_proj', inFeatures: q, outFeatures: s.hidden },
  ]
  if (s.gatedMlp) out.push({ name: 'gate_proj', inFeatures: s.hidden, outFeatures: s.intermediate })
  out.push({ name: 'up_proj', inFeatures: s.hidden, outFeatures: s.intermediate })
  out.push({ name: 'down_proj', inFeatures: s.intermediate, outFeatures: s.hidden })
  return out
}

/** Parameters in the linear layers of all blocks: what 4-bit / 8-bit quantisation compresses. */
export function linearParams(s: ModelShape): number {
  return s.layers * blockLinears(s).reduce((n, m) => n + m.inFeatures * m.outFeatures, 0)
}

/**
 * Total parameters: the published count when given, else embeddings + output head (unless tied) + linear layers
 * + norms (biases ignored: they are well under 0.1% of a model).
 */
export function totalParams(s: ModelShape): number {
  if (s.params !== undefined) return s.params
  const embeddings = s.vocab * s.hidden * (s.tiedEmbeddings ? 1 : 2)
  return embeddings + linearParams(s) + s.layers * 2 * s.hidden + s.hidden
}
