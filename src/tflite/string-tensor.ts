/**
 * TFLite's layout of a string tensor's buffer: int32 count, int32 offsets[count + 1]
 * (from the buffer start), then the UTF-8 bytes.
 */
import { FbDecodeError } from './fb-read.js';

export function encodeStrings(values: readonly string[]): Uint8Array {
  const enc = new TextEncoder();
  const parts = values.map((s) => enc.encode(s));
  const header = 4 * (values.length + 2);
  const total = header + parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, values.length, true);
  let off = header;
  parts.forEach((p, i) => {
    dv.setInt32(4 * (i + 1), off, true);
    out.set(p, off);
    off += p.byteLength;
  });
  dv.setInt32(4 * (values.length + 1), off, true);
  return out;
}

export function decodeStrings(bytes: Uint8Array, what: string): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) throw new FbDecodeError(`${what}: string buffer of ${bytes.byteLength} bytes is too short`);
  const n = dv.getInt32(0, true);
  if (n < 0 || 4 * (n + 2) > bytes.byteLength) throw new FbDecodeError(`${what}: string count ${n} does not fit its ${bytes.byteLength}-byte buffer`);
  const dec = new TextDecoder();
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = dv.getInt32(4 * (i + 1), true);
    const b = dv.getInt32(4 * (i + 2), true);
    if (a < 0 || b < a || b > bytes.byteLength) throw new FbDecodeError(`${what}: string ${i} spans bytes ${a}..${b} outside its buffer`);
    out.push(dec.decode(bytes.subarray(a, b)));
  }
  return out;
}
