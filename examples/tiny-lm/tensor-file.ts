/** A minimal binary tensor file: "TLM1", uint32 header length, JSON header, padding to 4 bytes, f32 data. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

const MAGIC = 'TLM1'

/** Writes `header` and the concatenated `tensors` to `path` atomically (temp file + rename). */
export function writeTensorFile(path: string, header: object, tensors: readonly Float32Array[]): void {
  const json = Buffer.from(JSON.stringify(header))
  const pad = (4 - ((8 + json.length) % 4)) % 4
  const n = tensors.reduce((s, t) => s + t.length, 0)
  const buf = Buffer.alloc(8 + json.length + pad + 4 * n)
  buf.write(MAGIC, 0, 'ascii')
  buf.writeUInt32LE(json.length + pad, 4)
  json.copy(buf, 8)
  buf.fill(0x20, 8 + json.length, 8 + json.length + pad) // spaces: still valid JSON
  let pos = 8 + json.length + pad
  for (const t of tensors) {
    Buffer.from(t.buffer, t.byteOffset, t.byteLength).copy(buf, pos)
    pos += t.byteLength
  }
  writeFileSync(`${path}.tmp`, buf)
  renameSync(`${path}.tmp`, path)
}

/** Reads a file written by `writeTensorFile`. */
export function readTensorFile<H>(path: string): { header: H; data: Float32Array } {
  const buf = readFileSync(path)
  if (buf.toString('ascii', 0, 4) !== MAGIC) throw new Error(`${path} is not a tiny-lm tensor file (bad magic).`)
  const len = buf.readUInt32LE(4)
  const header = JSON.parse(buf.toString('utf8', 8, 8 + len)) as H
  const start = 8 + len
  const data = new Float32Array((buf.length - start) / 4)
  Buffer.from(data.buffer).set(buf.subarray(start))
  return { header, data }
}
