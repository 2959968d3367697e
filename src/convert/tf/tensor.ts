/**
 * TensorFlow dtypes, shapes and TensorProto values (proto3 JSON or decoded .pb form) → IR constant
 * data. `tensor_content` holds raw little-endian bytes; otherwise the typed `*_val` fields, where a
 * single value fills the whole shape (`half_val` holds float16 bits in int32s).
 */
import { inputError } from '../../core/errors.js';
import { allocTyped, DTYPE_SIZE, type DType, type TypedArray } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import type { ConstData } from '../onnx/tensor-data.js';
import type { TfShape, TfTensor } from './model.js';

const TF_DTYPE: Record<string, DType> = {
  DT_FLOAT: 'float32', DT_DOUBLE: 'float64', DT_INT32: 'int32', DT_UINT8: 'uint8', DT_INT16: 'int16', DT_INT8: 'int8',
  DT_STRING: 'string', DT_INT64: 'int64', DT_BOOL: 'bool', DT_UINT16: 'uint16', DT_HALF: 'float16', DT_UINT32: 'uint32',
  DT_UINT64: 'uint64',
};

/** TF DataType name (`DT_FLOAT`, `DT_FLOAT_REF`) → IR dtype, or undefined for the ones mai has no type for. */
export function tfDType(name: string | undefined): DType | undefined {
  if (!name) return undefined;
  return TF_DTYPE[name.endsWith('_REF') ? name.slice(0, -4) : name];
}

/** Dims of a TensorShapeProto; unknown dims (-1) as null, undefined for an unknown rank. */
export function tfShape(s: TfShape | undefined): Array<number | null> | undefined {
  if (!s || s.unknownRank) return undefined;
  return (s.dim ?? []).map((d) => {
    const v = Number(d.size ?? 0);
    return v < 0 ? null : v;
  });
}

export function base64Bytes(v: string | Uint8Array | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array();
  if (typeof v !== 'string') return v;
  const b = Buffer.from(v, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Raw little-endian bytes as a typed array of `dtype` (copied when unaligned). */
export function bytesAs(dtype: DType, bytes: Uint8Array, count: number): TypedArray {
  const out = allocTyped(dtype, count);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(0, count * DTYPE_SIZE[dtype]));
  return out;
}

function fill(dtype: DType, count: number, values: ArrayLike<number | bigint | boolean | string>): TypedArray {
  const out = allocTyped(dtype, count);
  const big = dtype === 'int64' || dtype === 'uint64';
  for (let i = 0; i < count; i++) {
    const v = values[values.length === 1 ? 0 : i] ?? 0;
    (out as unknown as Array<number | bigint>)[i] = big ? BigInt(typeof v === 'boolean' ? Number(v) : v) : Number(v);
  }
  return out;
}

/** A TensorProto's value; throws a message (the caller names the node) when its dtype or size is wrong. */
export function readTfTensor(t: TfTensor): ConstData {
  const dtype = tfDType(t.dtype);
  if (!dtype) throw inputError('tf-decode-failed', `tensor dtype ${t.dtype ?? '(none)'} is not supported`);
  const shape = (tfShape(t.tensorShape) ?? []).map((d) => d ?? 0);
  const count = numElements(shape);
  if (dtype === 'string') return { dtype, shape, strings: (t.stringVal ?? []).map((s) => Buffer.from(base64Bytes(s)).toString('utf8')) };
  const content = base64Bytes(t.tensorContent);
  if (content.byteLength) {
    if (content.byteLength !== count * DTYPE_SIZE[dtype]) throw inputError('tf-decode-failed', `tensor_content holds ${content.byteLength} bytes, shape [${shape}] of ${dtype} needs ${count * DTYPE_SIZE[dtype]}`);
    return { dtype, shape, data: bytesAs(dtype, content, count) };
  }
  const vals: ArrayLike<number | string | boolean> | undefined =
    dtype === 'float32' ? t.floatVal : dtype === 'float64' ? t.doubleVal : dtype === 'float16' ? t.halfVal : dtype === 'int64' ? t.int64Val
      : dtype === 'uint64' ? t.uint64Val : dtype === 'uint32' ? t.uint32Val : dtype === 'bool' ? t.boolVal : t.intVal;
  if (!vals?.length) return { dtype, shape, data: allocTyped(dtype, count) };
  if (vals.length !== 1 && vals.length !== count) throw inputError('tf-decode-failed', `tensor holds ${vals.length} values, shape [${shape}] needs ${count}`);
  const parsed = Array.from(vals, (v) => (typeof v === 'string' && dtype !== 'int64' && dtype !== 'uint64' ? Number(v) : v));
  return { dtype, shape, data: fill(dtype, count, parsed as ArrayLike<number | string | boolean>) };
}
