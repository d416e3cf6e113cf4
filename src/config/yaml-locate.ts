import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml'

/** A 1-based source position. */
export interface Position {
  readonly line: number
  readonly column: number
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined
}

/**
 * Finds where a field path lives in the YAML source: the value node (or its key when `atKey`), or the closest
 * existing ancestor when the field is missing, so that "is required" points into the right mapping.
 */
export function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[], atKey = false): Position {
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0)
    return { line: p.line, column: p.col }
  }
  let node: unknown = doc.contents
  let last: Node | undefined = doc.contents ?? undefined
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc)
    const seg = path[i]
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg))
      if (pair === undefined) break
      const key = pair.key as Node
      if ((atKey && i === path.length - 1) || pair.value === null) return at(key.range?.[0])
      node = pair.value
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg]
    } else break
    last = node as Node
  }
  return at(last?.range?.[0])
}
