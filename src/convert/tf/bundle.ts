/**
 * TensorFlow tensor bundle (a SavedModel's variables/): `variables.index` is a LevelDB-format sorted
 * table — blocks of prefix-compressed entries (varint shared / unshared / value lengths) ending in
 * restart points, an index block of data-block handles, a 48-byte footer ending in the magic
 * 0xdb4775248b80fb57 — whose values are BundleEntryProto (dtype, shape, shard, offset, size) pointing
 * into `variables.data-NNNNN-of-MMMMM`. Only uncompressed tables (what TensorFlow writes) are read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import { DTYPE_SIZE } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import type { ConstData } from '../onnx/tensor-data.js';
import type { TfShape } from './model.js';
import { decodeMessage } from './proto/index.js';
import { bytesAs, tfDType, tfShape } from './tensor.js';

const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;

export interface BundleEntry {
  dtype?: string;
  shape?: TfShape;
  shardId?: number;
  offset?: string;
  size?: string;
  slices?: unknown[];
}

class Reader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    readonly file: string,
  ) {}
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.b.length) throw inputError('tf-bundle-corrupt', `${this.file}: a table entry runs past the end of the file (truncated?)`, { file: this.file });
      const byte = this.b[this.pos++]!;
      v += (byte & 0x7f) * mul;
      if (!(byte & 0x80)) return v;
      mul *= 128;
    }
  }
}

/** The (key, value) entries of one table block [offset, offset + size). */
function blockEntries(b: Uint8Array, offset: number, size: number, file: string): Array<[string, Uint8Array]> {
  if (offset + size + 5 > b.length) throw inputError('tf-bundle-corrupt', `${file}: a table block lies past the end of the file (truncated?)`, { file });
  if (b[offset + size] !== 0) throw inputError('tf-bundle-corrupt', `${file}: compressed table blocks are not supported`, { file });
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const restarts = view.getUint32(offset + size - 4, true);
  const end = offset + size - 4 - restarts * 4;
  const r = new Reader(b, offset, file);
  const out: Array<[string, Uint8Array]> = [];
  let key = new Uint8Array();
  while (r.pos < end) {
    const shared = r.varint();
    const unshared = r.varint();
    const vlen = r.varint();
    const k = new Uint8Array(shared + unshared);
    k.set(key.subarray(0, shared));
    k.set(b.subarray(r.pos, r.pos + unshared), shared);
    r.pos += unshared;
    out.push([Buffer.from(k).toString('utf8'), b.subarray(r.pos, r.pos + vlen)]);
    r.pos += vlen;
    key = k;
  }
  return out;
}

/** Every entry of a bundle index (key → BundleEntryProto). */
export function readBundleIndex(file: string): Map<string, BundleEntry> {
  let b: Uint8Array;
  try {
    b = new Uint8Array(readFileSync(file));
  } catch {
    throw inputError('tf-variables-missing', `SavedModel variables index ${file} is missing: the SavedModel has no variables/ folder (copy it with saved_model.pb)`, { file });
  }
  if (b.length < 48) throw inputError('tf-bundle-corrupt', `${file} is too short to be a tensor bundle index (${b.length} bytes)`, { file });
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (view.getUint32(b.length - 8, true) !== MAGIC_LO || view.getUint32(b.length - 4, true) !== MAGIC_HI) {
    throw inputError('tf-bundle-corrupt', `${file} is not a tensor bundle index (no table magic at its end; truncated?)`, { file });
  }
  const footer = new Reader(b, b.length - 48, file);
  footer.varint(); // metaindex offset
  footer.varint(); // metaindex size
  const indexOffset = footer.varint();
  const indexSize = footer.varint();
  const entries = new Map<string, BundleEntry>();
  for (const [, handle] of blockEntries(b, indexOffset, indexSize, file)) {
    const h = new Reader(handle, 0, file);
    const off = h.varint();
    const size = h.varint();
    for (const [key, value] of blockEntries(b, off, size, file)) {
      if (key === '') continue; // the BundleHeaderProto
      entries.set(key, decodeMessage<BundleEntry>('BundleEntryProto', value, file, 'tensor bundle entry'));
    }
  }
  return entries;
}

/** Reads the tensors `keys` of the bundle at `prefix` (…/variables/variables); `entries` when its index is read already. */
export function readBundleTensors(prefix: string, keys: readonly string[], entries = readBundleIndex(`${prefix}.index`)): Map<string, ConstData> {
  const indexFile = `${prefix}.index`;
  const shards = new Map<number, Uint8Array>();
  const shardCount = Math.max(1, ...[...entries.values()].map((e) => (e.shardId ?? 0) + 1));
  const shard = (id: number): Uint8Array => {
    let s = shards.get(id);
    if (!s) {
      const name = `${prefix}.data-${String(id).padStart(5, '0')}-of-${String(shardCount).padStart(5, '0')}`;
      try {
        s = new Uint8Array(readFileSync(name));
      } catch {
        throw inputError('tf-variables-missing', `SavedModel variables shard ${name} is missing`, { file: name });
      }
      shards.set(id, s);
    }
    return s;
  };
  const out = new Map<string, ConstData>();
  for (const key of keys) {
    const e = entries.get(key);
    if (!e) throw inputError('tf-variables-missing', `${indexFile} holds no variable '${key}'`, { file: indexFile });
    const dtype = tfDType(e.dtype);
    if (!dtype || dtype === 'string') throw inputError('unsupported-dtype', `variable '${key}' has dtype ${e.dtype}, which mai cannot read`, { file: indexFile });
    if (e.slices?.length) throw inputError('unsupported-model', `variable '${key}' is saved in slices (partitioned variables are not supported)`, { file: indexFile });
    const shape = (tfShape(e.shape) ?? []).map((d) => d ?? 0);
    const count = numElements(shape);
    const offset = Number(e.offset ?? 0);
    const size = Number(e.size ?? 0);
    const data = shard(e.shardId ?? 0);
    if (size !== count * DTYPE_SIZE[dtype] || offset + size > data.length) {
      throw inputError('tf-bundle-corrupt', `variable '${key}' [${shape}] ${dtype} should take ${count * DTYPE_SIZE[dtype]} bytes at ${offset} of a ${data.length}-byte shard (truncated?)`, { file: indexFile });
    }
    out.set(key, { dtype, shape, data: bytesAs(dtype, data.subarray(offset, offset + size), count) });
  }
  return out;
}

export const variablesPrefix = (dir: string): string => join(dir, 'variables', 'variables');
