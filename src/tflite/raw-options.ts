/**
 * Options tables of ops outside OPS_TABLE, kept byte-exact so a read → write
 * round trip loses nothing. The captured form is self-contained: the table's
 * vtable bytes followed by its inline bytes. Re-emitting works for tables of
 * scalars (almost every options table); tables holding offsets (vectors,
 * strings) or subgraph indices cannot be moved and are refused by the writer.
 */
import type { Builder } from 'flatbuffers';
import type { FbReader, FbTable } from './fb-read.js';
import { BUILTIN_OPTIONS } from './schema/enums.js';

/** Options tables whose fields are offsets or refer to other subgraphs. */
const NOT_RELOCATABLE = new Set<number>(
  ['ConcatEmbeddingsOptions', 'ReshapeOptions', 'SqueezeOptions', 'BucketizeOptions', 'VarHandleOptions', 'CallOptions', 'IfOptions', 'WhileOptions', 'CallOnceOptions'].map(
    (n) => BUILTIN_OPTIONS[n as keyof typeof BUILTIN_OPTIONS],
  ),
);

export function captureTable(r: FbReader, t: FbTable): Uint8Array {
  const out = new Uint8Array(t.vtSize + t.objSize);
  out.set(r.bytes.subarray(t.vt, t.vt + t.vtSize), 0);
  out.set(r.bytes.subarray(t.pos, t.pos + t.objSize), t.vtSize);
  // the table's soffset to its vtable is file-specific: zero it so equal tables capture equal bytes
  out.fill(0, t.vtSize, t.vtSize + Math.min(4, t.objSize));
  return out;
}

/** Why a captured options table cannot be written again, or undefined when it can. */
export function rawOptionsProblem(type: number, bytes: Uint8Array): string | undefined {
  if (NOT_RELOCATABLE.has(type)) return `its options table (union type ${type}) holds offsets or subgraph references`;
  if (bytes.byteLength < 4) return 'its captured options are malformed';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vtSize = dv.getUint16(0, true);
  const objSize = dv.getUint16(2, true);
  if (vtSize < 4 || vtSize + objSize !== bytes.byteLength) return 'its captured options are malformed';
  return undefined;
}

/** Writes a captured scalar table again; field widths are taken from the gaps between field offsets. */
export function emitRawTable(b: Builder, bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vtSize = dv.getUint16(0, true);
  const objSize = dv.getUint16(2, true);
  const nSlots = (vtSize - 4) / 2;
  const fields: Array<{ slot: number; off: number }> = [];
  for (let s = 0; s < nSlots; s++) {
    const off = dv.getUint16(4 + 2 * s, true);
    if (off) fields.push({ slot: s, off });
  }
  const sorted = [...fields].sort((a, c) => a.off - c.off);
  b.forceDefaults(true);
  b.startObject(nSlots);
  for (let i = 0; i < sorted.length; i++) {
    const { slot, off } = sorted[i]!;
    const gap = (sorted[i + 1]?.off ?? objSize) - off;
    const at = vtSize + off;
    // The widest little-endian integer that fits the gap: its low bytes are the field, the rest was padding.
    if (gap >= 8) b.addFieldInt64(slot, dv.getBigInt64(at, true), 0n);
    else if (gap >= 4) b.addFieldInt32(slot, dv.getInt32(at, true), 0);
    else if (gap >= 2) b.addFieldInt16(slot, dv.getInt16(at, true), 0);
    else b.addFieldInt8(slot, dv.getInt8(at), 0);
  }
  const end = b.endObject();
  b.forceDefaults(false);
  return end;
}
