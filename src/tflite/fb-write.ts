/**
 * Thin typed helpers over the flatbuffers `Builder`: fields are addressed by
 * their vtable offset (4 + 2·fieldIndex, as the schema facts list them).
 */
import { Builder } from 'flatbuffers';
import { internalError } from '../core/errors.js';

/** The Builder's internals we use to copy large byte vectors with one `set()`. */
interface BuilderInternals {
  space: number;
  bb: { bytes(): Uint8Array; setPosition(p: number): void };
}

const slotIndex = (vt: number) => (vt - 4) / 2;

/** Writes one table; create its sub-objects (vectors, strings, tables) before `start`. */
export class TableWriter {
  constructor(
    private readonly b: Builder,
    private readonly maxVt: number,
  ) {
    b.startObject(slotIndex(maxVt) + 1);
  }
  private slot(vt: number): number {
    if (vt > this.maxVt) throw internalError(`TableWriter: field at vtable offset ${vt} beyond the declared ${this.maxVt}`);
    return slotIndex(vt);
  }
  u8(vt: number, v: number | undefined, def = 0): this {
    if (v !== undefined) this.b.addFieldInt8(this.slot(vt), v, def);
    return this;
  }
  bool(vt: number, v: boolean | undefined, def = false): this {
    if (v !== undefined) this.b.addFieldInt8(this.slot(vt), v ? 1 : 0, def ? 1 : 0);
    return this;
  }
  i32(vt: number, v: number | undefined, def = 0): this {
    if (v !== undefined) this.b.addFieldInt32(this.slot(vt), v, def);
    return this;
  }
  f32(vt: number, v: number | undefined, def = 0): this {
    if (v !== undefined) this.b.addFieldFloat32(this.slot(vt), v, def);
    return this;
  }
  i16(vt: number, v: number | undefined, def = 0): this {
    if (v !== undefined) this.b.addFieldInt16(this.slot(vt), v, def);
    return this;
  }
  i64(vt: number, v: bigint | undefined, def = 0n): this {
    if (v !== undefined) this.b.addFieldInt64(this.slot(vt), v, def);
    return this;
  }
  /** An offset field (vector, string, table); 0 = absent. */
  offset(vt: number, off: number): this {
    if (off) this.b.addFieldOffset(this.slot(vt), off, 0);
    return this;
  }
  end(): number {
    return this.b.endObject();
  }
}

export function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

/** A vector of `bytes.byteLength / elemSize` elements given as their little-endian bytes, copied with one `set()`. */
export function encodedVector(b: Builder, elemSize: number, alignment: number, bytes: Uint8Array): number {
  b.startVector(elemSize, bytes.byteLength / elemSize, alignment);
  const inner = b as unknown as BuilderInternals;
  inner.space -= bytes.byteLength;
  inner.bb.bytes().set(bytes, inner.space);
  return b.endVector();
}

export function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

/**
 * A [ubyte] vector whose first byte is aligned to `alignment` from the end of
 * the finished buffer (the buffer's total size is padded to the largest
 * alignment used, so it is aligned from the file start too). The bytes are
 * copied with one `set()`, not byte by byte.
 */
export function alignedByteVector(b: Builder, data: Uint8Array, alignment: number): number {
  return filledByteVector(b, data.byteLength, alignment, (dst) => dst.set(data));
}

/**
 * `alignedByteVector` whose bytes `fill` writes in place into the builder's buffer (e.g. weights
 * permuted straight from the source), so they are never assembled anywhere else first.
 */
export function filledByteVector(b: Builder, byteLength: number, alignment: number, fill: (dst: Uint8Array) => void): number {
  return reservedByteVector(b, byteLength, alignment, (at) => fill((b as unknown as BuilderInternals).bb.bytes().subarray(at, at + byteLength)));
}

/**
 * An aligned [ubyte] vector whose bytes are left untouched: `reserved` gets their position in the
 * builder's buffer (`bb.bytes()`), to fill later. Untouched zero pages cost no memory.
 */
export function reservedByteVector(b: Builder, byteLength: number, alignment: number, reserved: (at: number) => void): number {
  b.startVector(1, byteLength, alignment);
  const inner = b as unknown as BuilderInternals;
  inner.space -= byteLength;
  reserved(inner.space);
  return b.endVector();
}
