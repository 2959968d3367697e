/** One element-wise TFLite op on an ONNX value, for lowerings that compose several. */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { primaryOf, type ImportContext } from '../context.js';

/** Element-wise `op` of ONNX value `x` into ONNX value `name`, in x's layout; returns `name`. */
export function unaryValue(ctx: ImportContext, op: BuiltinOpName, x: string, name: string): string {
  const { tensor, form } = primaryOf(ctx, x);
  const out = ctx.define(name, ctx.dtype(x), ctx.shape(x), form);
  ctx.emit(op, [tensor], [out]);
  return name;
}
