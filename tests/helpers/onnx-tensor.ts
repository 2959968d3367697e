/** Decodes a serialized ONNX TensorProto (the conformance suite's input_N.pb / output_N.pb). */
import onnxProto from 'onnx-proto';
import { halfToFloat } from '../../src/ir/dtype.js';

const { onnx } = onnxProto;

export type DecodedDType =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool' | 'string'
  | 'bfloat16' | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'uint4' | 'int4' | 'float4e2m1' | 'other';

export interface DecodedTensor {
  name: string;
  dtype: DecodedDType;
  /** ONNX data_type code. */
  code: number;
  shape: number[];
  /** Numbers for every numeric type (int64 as Number, float16 decoded); undefined for string/other. */
  values?: Float64Array;
  /** Bytes of the tensor in little-endian for dtypes LiteRT.js can take (float32/int32/uint8). */
  raw?: Float32Array | Int32Array | Uint8Array;
}

const DTYPES: Record<number, DecodedDType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
  16: 'bfloat16', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1',
};
/** Types whose values this decoder does not compute (`values` stays undefined). */
const UNDECODED = new Set<DecodedDType>(['string', 'other', 'bfloat16', 'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1']);

const num = (v: unknown): number => (typeof v === 'number' ? v : Number((v as { toString(): string }).toString()));

function fromRaw(dtype: DecodedDType, raw: Uint8Array, count: number): Float64Array {
  const buf = Uint8Array.prototype.slice.call(raw).buffer; // Buffer#slice would be a view into the pool
  const dv = new DataView(buf);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'float32': out[i] = dv.getFloat32(i * 4, true); break;
      case 'float64': out[i] = dv.getFloat64(i * 8, true); break;
      case 'float16': out[i] = halfToFloat(dv.getUint16(i * 2, true)); break;
      case 'int8': out[i] = dv.getInt8(i); break;
      case 'uint8': case 'bool': out[i] = dv.getUint8(i); break;
      case 'int16': out[i] = dv.getInt16(i * 2, true); break;
      case 'uint16': out[i] = dv.getUint16(i * 2, true); break;
      case 'int32': out[i] = dv.getInt32(i * 4, true); break;
      case 'uint32': out[i] = dv.getUint32(i * 4, true); break;
      case 'int64': out[i] = Number(dv.getBigInt64(i * 8, true)); break;
      case 'uint64': out[i] = Number(dv.getBigUint64(i * 8, true)); break;
      default: break;
    }
  }
  return out;
}

export function decodeTensorProto(bytes: Uint8Array): DecodedTensor {
  const t = onnx.TensorProto.decode(bytes);
  const code = t.dataType ?? 0;
  const dtype = DTYPES[code] ?? 'other';
  const shape = (t.dims ?? []).map(num);
  const count = shape.reduce((a, b) => a * b, 1);
  const res: DecodedTensor = { name: t.name ?? '', dtype, code, shape };
  if (UNDECODED.has(dtype)) return res;
  let values: Float64Array;
  if (t.rawData && t.rawData.length) values = fromRaw(dtype, t.rawData, count);
  else {
    const typed: ArrayLike<unknown> =
      dtype === 'float32' ? t.floatData ?? [] : dtype === 'float64' ? t.doubleData ?? [] : dtype === 'int64' ? t.int64Data ?? [] : dtype === 'uint32' || dtype === 'uint64' ? t.uint64Data ?? [] : t.int32Data ?? [];
    values = Float64Array.from(Array.from(typed, num));
    if (dtype === 'float16') values = values.map((h) => halfToFloat(h));
  }
  res.values = values;
  if (dtype === 'float32') res.raw = Float32Array.from(values);
  else if (dtype === 'int32') res.raw = Int32Array.from(values);
  else if (dtype === 'uint8') res.raw = Uint8Array.from(values);
  return res;
}
