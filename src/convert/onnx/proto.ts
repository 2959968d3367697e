/** The onnx-proto (protobufjs 6) namespace and small helpers for its field types. */
import pkg from 'onnx-proto';

export const onnx = pkg.onnx;
export type ModelProto = InstanceType<typeof pkg.onnx.ModelProto>;
export type GraphProto = NonNullable<ModelProto['graph']>;
export type NodeProto = InstanceType<typeof pkg.onnx.NodeProto>;
export type TensorProto = InstanceType<typeof pkg.onnx.TensorProto>;
export type AttributeProto = InstanceType<typeof pkg.onnx.AttributeProto>;
export type ValueInfoProto = import('onnx-proto').onnx.IValueInfoProto;

/** protobufjs gives int64 fields as number or Long. */
export interface LongLike {
  toNumber(): number;
  low: number;
  high: number;
}

export function num(v: number | LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export function bigint(v: number | LongLike): bigint {
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high) << 32n) | BigInt(v.low >>> 0);
}
