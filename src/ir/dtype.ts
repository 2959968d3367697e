import { inputError, internalError } from '../core/errors.js';

/** Element types the IR knows. float16 data is stored as raw IEEE half bits in a Uint16Array. */
export type DType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Bytes per element (string: 0 = variable). */
export const DTYPE_SIZE: Record<DType, number> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
  string: 0,
};

type ArrayCtor = { new (buf: ArrayBufferLike, off: number, len: number): TypedArray; new (len: number): TypedArray; BYTES_PER_ELEMENT: number };

const CTOR: Record<Exclude<DType, 'string'>, ArrayCtor> = {
  float32: Float32Array as unknown as ArrayCtor,
  float16: Uint16Array as unknown as ArrayCtor,
  float64: Float64Array as unknown as ArrayCtor,
  int8: Int8Array as unknown as ArrayCtor,
  uint8: Uint8Array as unknown as ArrayCtor,
  int16: Int16Array as unknown as ArrayCtor,
  uint16: Uint16Array as unknown as ArrayCtor,
  int32: Int32Array as unknown as ArrayCtor,
  uint32: Uint32Array as unknown as ArrayCtor,
  int64: BigInt64Array as unknown as ArrayCtor,
  uint64: BigUint64Array as unknown as ArrayCtor,
  bool: Uint8Array as unknown as ArrayCtor,
};

export function arrayCtor(dtype: DType): ArrayCtor {
  if (dtype === 'string') throw internalError('string tensors have no typed-array representation');
  return CTOR[dtype];
}

/** A new zero-filled typed array for `count` elements of `dtype`. */
export function allocTyped(dtype: DType, count: number): TypedArray {
  return new (arrayCtor(dtype))(count);
}

/**
 * View `bytes` (little-endian) as a typed array of `dtype` without copying when
 * the offset is aligned; copies otherwise. This is how constant data stays a
 * zero-copy view into the source file.
 */
export function viewAs(dtype: DType, bytes: Uint8Array): TypedArray {
  const ctor = arrayCtor(dtype);
  const size = ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) {
    throw inputError('invalid-model', `${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  }
  if (bytes.byteOffset % size === 0) return new ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new ctor(copy.buffer, 0, bytes.byteLength / size);
}

/** The raw little-endian bytes of a typed array (a view, no copy). */
export function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Lowest and highest value of each integer dtype that fits a JS number exactly (int64/uint64 do not). */
export const INTEGER_RANGE = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
} as const satisfies Partial<Record<DType, readonly [number, number]>>;

/** INTEGER_RANGE restricted to `types` (a caller's list of the integer types it supports). */
export function integerRanges<T extends keyof typeof INTEGER_RANGE>(types: readonly T[]): Partial<Record<DType, readonly [number, number]>> & Record<T, readonly [number, number]> {
  return Object.fromEntries(types.map((t) => [t, INTEGER_RANGE[t]])) as unknown as Record<T, readonly [number, number]>;
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'float64';
}

// --- IEEE 754 half precision ---------------------------------------------------
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfToFloat(h: number): number {
  const s = (h & 0x8000) >> 15;
  const e = (h & 0x7c00) >> 10;
  const f = h & 0x03ff;
  let v: number;
  if (e === 0) v = f * 2 ** -24;
  else if (e === 0x1f) v = f ? NaN : Infinity;
  else v = (1 + f / 1024) * 2 ** (e - 15);
  return s ? -v : v;
}

/** float32 → half bits, round to nearest even. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Any numeric typed array → Float32Array (float16 bits decoded). */
export function toFloat32(dtype: DType, data: TypedArray): Float32Array {
  if (dtype === 'float32') return data as Float32Array;
  const out = new Float32Array(data.length);
  if (dtype === 'float16') {
    const h = data as Uint16Array;
    for (let i = 0; i < h.length; i++) out[i] = halfToFloat(h[i]!);
  } else {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  }
  return out;
}
