/**
 * Bounds-checked FlatBuffers access over untrusted bytes. Every offset is
 * validated against the buffer length before it is followed, so a truncated
 * or random file raises `FbDecodeError` (turned into an exit-2 MaiError by the
 * reader), never a RangeError or silent garbage.
 */
import { ByteBuffer } from 'flatbuffers';

export class FbDecodeError extends Error {}

/** A table: its position and its vtable (position, byte size). */
export interface FbTable {
  pos: number;
  vt: number;
  vtSize: number;
  objSize: number;
}

/** A vector: position of element 0 and element count. */
export interface FbVector {
  start: number;
  length: number;
}

export class FbReader {
  readonly bb: ByteBuffer;
  readonly size: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.byteLength;
  }

  check(pos: number, len: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || len < 0 || pos + len > this.size) {
      throw new FbDecodeError(`${what} at byte ${pos} (+${len}) lies outside the ${this.size}-byte file`);
    }
  }

  u8(pos: number): number {
    this.check(pos, 1, 'byte');
    return this.bb.readUint8(pos);
  }
  i8(pos: number): number {
    this.check(pos, 1, 'byte');
    return this.bb.readInt8(pos);
  }
  u16(pos: number): number {
    this.check(pos, 2, 'uint16');
    return this.bb.readUint16(pos);
  }
  i16(pos: number): number {
    this.check(pos, 2, 'int16');
    return this.bb.readInt16(pos);
  }
  i32(pos: number): number {
    this.check(pos, 4, 'int32');
    return this.bb.readInt32(pos);
  }
  u32(pos: number): number {
    this.check(pos, 4, 'uint32');
    return this.bb.readUint32(pos);
  }
  f32(pos: number): number {
    this.check(pos, 4, 'float32');
    return this.bb.readFloat32(pos);
  }
  i64(pos: number): bigint {
    this.check(pos, 8, 'int64');
    return this.bb.readInt64(pos);
  }
  u64(pos: number): bigint {
    this.check(pos, 8, 'uint64');
    return this.bb.readUint64(pos);
  }

  /** Follow the uoffset stored at `pos`. */
  indirect(pos: number): number {
    const target = pos + this.u32(pos);
    this.check(target, 1, 'offset target');
    return target;
  }

  /** The table whose position is `pos`. */
  table(pos: number, what = 'table'): FbTable {
    this.check(pos, 4, what);
    const vt = pos - this.i32(pos);
    this.check(vt, 4, `${what} vtable`);
    const vtSize = this.u16(vt);
    const objSize = this.u16(vt + 2);
    if (vtSize < 4 || vtSize % 2 !== 0) throw new FbDecodeError(`${what} at byte ${pos} has a malformed vtable (size ${vtSize})`);
    this.check(vt, vtSize, `${what} vtable`);
    this.check(pos, Math.max(objSize, 4), what);
    return { pos, vt, vtSize, objSize };
  }

  /** Absolute position of the field at vtable offset `slot`, or 0 when absent. */
  field(t: FbTable, slot: number): number {
    if (slot >= t.vtSize) return 0;
    const off = this.u16(t.vt + slot);
    if (off === 0) return 0;
    if (off >= Math.max(t.objSize, 4) && t.objSize !== 0) throw new FbDecodeError(`field offset ${off} beyond table size ${t.objSize} at byte ${t.pos}`);
    return t.pos + off;
  }

  /** The sub-table referenced by field `slot`, or undefined when absent. */
  subTable(t: FbTable, slot: number, what: string): FbTable | undefined {
    const f = this.field(t, slot);
    return f ? this.table(this.indirect(f), what) : undefined;
  }

  /** The vector referenced by field `slot` (elements of `elemSize` bytes), or undefined when absent. */
  vector(t: FbTable, slot: number, elemSize: number, what: string): FbVector | undefined {
    const f = this.field(t, slot);
    if (!f) return undefined;
    return this.vectorAt(this.indirect(f), elemSize, what);
  }

  vectorAt(pos: number, elemSize: number, what: string): FbVector {
    const length = this.u32(pos);
    const start = pos + 4;
    if (length > this.size) throw new FbDecodeError(`${what}: vector length ${length} at byte ${pos} exceeds the file`);
    this.check(start, length * elemSize, what);
    return { start, length };
  }

  /** The string referenced by field `slot`, or undefined when absent. */
  string(t: FbTable, slot: number, what: string): string | undefined {
    const v = this.vector(t, slot, 1, what);
    if (!v) return undefined;
    return decoder.decode(this.bytes.subarray(v.start, v.start + v.length));
  }

  /** Tables of a vector of tables referenced by field `slot` ([] when absent). */
  tables(t: FbTable, slot: number, what: string): FbTable[] {
    const v = this.vector(t, slot, 4, what);
    if (!v) return [];
    const out: FbTable[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.table(this.indirect(v.start + 4 * i), `${what}[${i}]`));
    return out;
  }

  int32s(t: FbTable, slot: number, what: string): number[] | undefined {
    const v = this.vector(t, slot, 4, what);
    if (!v) return undefined;
    const out: number[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.bb.readInt32(v.start + 4 * i);
    return out;
  }

  float32s(t: FbTable, slot: number, what: string): number[] | undefined {
    const v = this.vector(t, slot, 4, what);
    if (!v) return undefined;
    const out: number[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.bb.readFloat32(v.start + 4 * i);
    return out;
  }

  int64sAsNumbers(t: FbTable, slot: number, what: string): number[] | undefined {
    const v = this.vector(t, slot, 8, what);
    if (!v) return undefined;
    const out: number[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = Number(this.bb.readInt64(v.start + 8 * i));
    return out;
  }

  /** Bytes of a [ubyte] vector (a view, no copy), or undefined when absent. */
  byteVector(t: FbTable, slot: number, what: string): Uint8Array | undefined {
    const v = this.vector(t, slot, 1, what);
    if (!v) return undefined;
    return this.bytes.subarray(v.start, v.start + v.length);
  }

  // --- scalar fields with schema defaults ---------------------------------
  fieldU8(t: FbTable, slot: number, def: number): number {
    const f = this.field(t, slot);
    return f ? this.u8(f) : def;
  }
  fieldI8(t: FbTable, slot: number, def: number): number {
    const f = this.field(t, slot);
    return f ? this.i8(f) : def;
  }
  fieldBool(t: FbTable, slot: number, def: boolean): boolean {
    const f = this.field(t, slot);
    return f ? this.u8(f) !== 0 : def;
  }
  fieldI32(t: FbTable, slot: number, def: number): number {
    const f = this.field(t, slot);
    return f ? this.i32(f) : def;
  }
  fieldU32(t: FbTable, slot: number, def: number): number {
    const f = this.field(t, slot);
    return f ? this.u32(f) : def;
  }
  fieldF32(t: FbTable, slot: number, def: number): number {
    const f = this.field(t, slot);
    return f ? this.f32(f) : def;
  }
  fieldU64(t: FbTable, slot: number, def: bigint): bigint {
    const f = this.field(t, slot);
    return f ? this.u64(f) : def;
  }
  has(t: FbTable, slot: number): boolean {
    return this.field(t, slot) !== 0;
  }
}

const decoder = new TextDecoder('utf-8');
