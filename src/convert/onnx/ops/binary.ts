/** Add, Sub, Mul, Div with numpy broadcasting; operands follow the NHWC activation when there is one. */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { broadcastShapes } from '../../../ir/verify.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

const ARITH_DTYPES = new Set(['float32', 'int32', 'int64']);

/** Emits `op` over ONNX values a, b into ONNX output `outName`. */
export function emitBinary(ctx: ImportContext, op: BuiltinOpName, a: string, b: string, outName: string): void {
  const shape = broadcastShapes(ctx.shape(a), ctx.shape(b));
  if (!shape) ctx.fail('shape-mismatch', `shapes [${ctx.shape(a)}] and [${ctx.shape(b)}] do not broadcast`);
  const dtype = ctx.dtype(a) === 'float16' ? 'float32' : ctx.dtype(a);
  if (!ARITH_DTYPES.has(dtype)) {
    ctx.fail('unsupported-dtype', `${op} on ${dtype} tensors: TFLite's float path takes float32, int32 and int64 (other integer types only quantized)`);
  }
  const { tensors, form } = ctx.broadcastOperands([a, b]);
  const out = ctx.define(outName, dtype, shape, form);
  ctx.emit(op, tensors, [out], { activation: 'NONE' });
}

export function binary(op: BuiltinOpName) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    if (ctx.opset < 7 && node.has('broadcast')) ctx.fail('unsupported-attribute', 'legacy broadcast/axis attributes (opset < 7) are not supported');
    emitBinary(ctx, op, node.input(0), node.input(1), node.outputs[0]!);
  };
}
