/** Cast (DstT) → the ONNX Cast lowering (CAST, or nothing for a constant). */
import type { DType } from '../../../ir/dtype.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

/** IR dtype → ONNX TensorProto.DataType code (Cast's `to`). */
const ONNX_CODE: Partial<Record<DType, number>> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13 };

export function checkCast(t: TfContext, node: TfNode): void {
  const to = node.dtype('DstT');
  if (!to || ONNX_CODE[to] === undefined) t.fail('unsupported-dtype', `Cast to ${node.typeName('DstT') ?? '(none)'} is not supported`);
}

export function importCast(t: TfContext, node: TfNode): void {
  t.onnx('Cast', [node.input(0)], [node.output()], { to: ONNX_CODE[node.dtype('DstT')!]! });
}
