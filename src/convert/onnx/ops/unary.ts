/** Layout-agnostic activations: Relu → RELU, Sigmoid → LOGISTIC, Tanh → TANH. */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function unary(op: BuiltinOpName) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const { tensor, form } = primaryOf(ctx, x);
    const out = ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form);
    ctx.emit(op, [tensor], [out]);
  };
}
