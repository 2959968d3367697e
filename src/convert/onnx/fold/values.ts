/**
 * Constant values for folding: element access in ONNX semantics (float16 decoded, int64 as bigint so
 * shape arithmetic stays exact) and typed construction of results (broadcasting: src/ir/ndarray.ts).
 */
import { allocTyped, floatToHalf, halfToFloat, type DType, type TypedArray } from '../../../ir/dtype.js';
import type { QuantParams } from '../../../ir/tensor.js';

/** A constant value with its data in hand (and, for dequantized weights, the quantization it came from). */
export interface Value {
  dtype: DType;
  shape: number[];
  data: TypedArray;
  quant?: QuantParams;
}

export type Scalar = number | bigint;

export const isBig = (d: DType): boolean => d === 'int64' || d === 'uint64';
export const isFloatType = (d: DType): boolean => d === 'float32' || d === 'float16' || d === 'float64';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Element i as a number (float16 decoded) or a bigint (int64 / uint64). */
export function at(v: Value, i: number): Scalar {
  const x = v.data[i]!;
  if (v.dtype === 'float16') return halfToFloat(x as number);
  return x;
}

/** Element i as a number (bigint converted; may round above 2^53). */
export function num(v: Value, i: number): number {
  return Number(at(v, i));
}

/** All elements as numbers. */
export function nums(v: Value): number[] {
  return Array.from({ length: v.data.length }, (_, i) => num(v, i));
}

/** Converts a computed element to the storage of `dtype` (ONNX cast rules: float → int truncates). */
function store(dtype: DType, x: Scalar): number | bigint {
  if (dtype === 'int64' || dtype === 'uint64') {
    if (typeof x === 'bigint') return dtype === 'int64' ? BigInt.asIntN(64, x) : BigInt.asUintN(64, x);
    if (Number.isNaN(x)) return 0n;
    if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 63) return x > 0 ? INT64_MAX : INT64_MIN; // INT64_MAX sentinels (Slice ends)
    return BigInt(Math.trunc(x));
  }
  const n = Number(x);
  if (dtype === 'float16') return floatToHalf(n);
  if (dtype === 'bool') return n !== 0 ? 1 : 0;
  if (dtype === 'float32' || dtype === 'float64') return n;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** A value of `dtype`/`shape` from computed elements. */
export function make(dtype: DType, shape: number[], elems: ArrayLike<Scalar>): Value {
  const data = allocTyped(dtype, elems.length);
  for (let i = 0; i < elems.length; i++) (data as unknown as Array<Scalar>)[i] = store(dtype, elems[i]!);
  return { dtype, shape: [...shape], data };
}

/** An int64 1-D value (what Shape, Range on ints and friends produce). */
export function int64s(values: readonly number[], shape: number[] = [values.length]): Value {
  return make('int64', shape, values);
}

/** Normalises a possibly negative axis against rank r. */
export function axis(a: number, r: number): number {
  return a < 0 ? a + r : a;
}
