/**
 * LogSoftmax as y = (x − m) − LOG(SUM(EXP(x − m))), m = REDUCE_MAX(x) over the softmax axes (kept),
 * all ops the GPU delegate takes (TFLite's LOG_SOFTMAX never is). The reductions run on any axes,
 * so nothing is transposed and NHWC-held values stay NHWC. Opset ≥ 13: the one `axis`. Opset < 13:
 * the input is coerced to 2-D at `axis`, i.e. the axes `axis`…rank−1 together.
 * Shifting by the maximum keeps EXP ≤ 1 (no overflow for large inputs) and the sum in [1, n].
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitReduce } from './reduce.js';
import { binaryValue } from './reduce-composite.js';
import { unaryValue } from '../lowering/unary-value.js';

export function checkLogSoftmax(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  if (!ctx.has(x)) return;
  const d = ctx.dtype(x);
  if (d !== 'float32' && d !== 'float16' && d !== 'float64') ctx.fail('unsupported-dtype', `LogSoftmax of ${d} '${x}': ONNX defines it on float types only`);
}

/** Opset < 13 (`coerced`: axis defaults to 1, reduces axis…rank−1) or ≥ 13 (the one axis, default −1). */
export const logSoftmax = (coerced: boolean) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const rank = ctx.rank(x);
  const out = node.outputs[0]!;
  const attr = node.int('axis', coerced ? 1 : -1);
  const axis = attr < 0 ? attr + rank : attr;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `LogSoftmax axis ${attr} is out of range for rank ${rank}`);
  const axes = coerced ? [...Array(rank).keys()].slice(axis) : [axis];
  const step = (tag: string) => `${out}__${tag}`;
  emitReduce(ctx, node, 'REDUCE_MAX', x, axes, step('max'), true);
  const centered = binaryValue(ctx, 'SUB', x, step('max'), step('centered'));
  emitReduce(ctx, node, 'SUM', unaryValue(ctx, 'EXP', centered, step('exp')), axes, step('sum'), true);
  binaryValue(ctx, 'SUB', centered, unaryValue(ctx, 'LOG', step('sum'), step('log_sum')), out);
};
