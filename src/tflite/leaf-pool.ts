/**
 * The leaf objects of a flatbuffer (strings and scalar vectors: names, shapes, quantization
 * parameters, operator inputs / outputs, small metadata), each written once however many tables
 * refer to it (the same bytes share one object), and where they fit into the padding in front of
 * an aligned buffer. FlatBuffers builds back to front: an aligned vector pads the space between
 * its data and the object written just before it (up to alignment − 1 bytes: 12 in front of a
 * 16-aligned weight whose size is a multiple of 16). A leaf written just before the vector lands
 * in that space at no cost; a leaf no gap took is written when a table first asks for it.
 */
import type { Builder } from 'flatbuffers';
import { encodedVector } from './fb-write.js';

/** A registered leaf; `LeafPool.at` gives its offset. */
export type LeafId = number;

interface Leaf {
  /** 0 for a string (written with its terminating zero), else the element size */
  elemSize: number;
  alignment: number;
  bytes: Uint8Array;
  /** its offset in the builder once written, 0 before */
  offset: number;
}

/** Leaves whose bytes are at most this long can fit a gap (a gap is under 16 bytes, and a vector adds its 4-byte length). */
const GAP_PAYLOAD = 11;

const UTF8 = new TextEncoder();

const padTo = (n: number, alignment: number) => (alignment - (n % alignment)) % alignment;

/** The bytes a leaf takes, its own alignment padding included, when `written` bytes are already in the builder. */
function leafSize(elemSize: number, alignment: number, payload: number, written: number): number {
  if (elemSize === 0) return 1 + padTo(written + 1 + payload, 4) + payload + 4; // '\0', pad, bytes, length
  const p1 = padTo(written + payload, 4);
  return p1 + padTo(written + p1 + payload, alignment) + payload + 4;
}

function littleEndian(values: readonly number[], elemSize: 4 | 8, put: (v: DataView, at: number, x: number) => void): Uint8Array {
  const out = new Uint8Array(values.length * elemSize);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => put(view, i * elemSize, x));
  return out;
}

export class LeafPool {
  private readonly leaves: Leaf[] = [];
  private readonly byKey = new Map<string, LeafId>();
  /** gap candidates by shape (element size, alignment, payload bytes): unwritten leaf ids */
  private readonly buckets = new Map<string, LeafId[]>();

  constructor(private readonly b: Builder) {}

  string(s: string): LeafId {
    return this.add(0, 4, UTF8.encode(s));
  }
  int32s(values: readonly number[]): LeafId {
    return this.add(4, 4, littleEndian(values, 4, (v, at, x) => v.setInt32(at, x, true)));
  }
  float32s(values: readonly number[]): LeafId {
    return this.add(4, 4, littleEndian(values, 4, (v, at, x) => v.setFloat32(at, x, true)));
  }
  int64s(values: readonly number[]): LeafId {
    return this.add(8, 8, littleEndian(values, 8, (v, at, x) => v.setBigInt64(at, BigInt(x), true)));
  }
  /** A [ubyte] vector (4-aligned, as every vector's length is). */
  bytes(data: Uint8Array): LeafId {
    return this.add(1, 4, data);
  }

  private add(elemSize: number, alignment: number, bytes: Uint8Array): LeafId {
    const key = `${elemSize}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.leaves.length;
    this.leaves.push({ elemSize, alignment, bytes, offset: 0 });
    this.byKey.set(key, id);
    if (bytes.byteLength <= GAP_PAYLOAD) {
      const shape = `${elemSize}:${alignment}:${bytes.byteLength}`;
      const bucket = this.buckets.get(shape);
      if (bucket) bucket.push(id);
      else this.buckets.set(shape, [id]);
    }
    return id;
  }

  /** The leaf's offset; written now if no gap took it yet. Call it outside a table (before `startObject`). */
  at(id: LeafId): number {
    const leaf = this.leaves[id]!;
    if (!leaf.offset) leaf.offset = this.write(leaf);
    return leaf.offset;
  }

  /**
   * Fill the padding an aligned vector of `byteLength` bytes would get if started now with the
   * largest leaves that fit in it whole; the vector then starts where it would have anyway.
   */
  fillGap(byteLength: number, alignment: number): void {
    for (;;) {
      const written = this.b.offset();
      const gap = padTo(written + byteLength, alignment);
      let best: LeafId[] | undefined;
      let bestSize = 0;
      for (const bucket of this.buckets.values()) {
        while (bucket.length && this.leaves[bucket[bucket.length - 1]!]!.offset) bucket.pop();
        if (!bucket.length) continue;
        const leaf = this.leaves[bucket[bucket.length - 1]!]!;
        const size = leafSize(leaf.elemSize, leaf.alignment, leaf.bytes.byteLength, written);
        if (size <= gap && size > bestSize) {
          best = bucket;
          bestSize = size;
        }
      }
      if (!best) return;
      this.at(best.pop()!);
    }
  }

  private write(leaf: Leaf): number {
    return leaf.elemSize === 0 ? this.b.createString(leaf.bytes) : encodedVector(this.b, leaf.elemSize, leaf.alignment, leaf.bytes);
  }
}
