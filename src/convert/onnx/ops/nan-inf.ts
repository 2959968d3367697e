/**
 * IsNaN and IsInf as comparisons (bool results):
 *   IsNaN: NOT(x ≤ +inf) (LESS_EQUAL, LOGICAL_NOT): false only for NaN; the GPU delegate refuses x ≠ x
 *          (a comparison of a tensor with itself)
 *   IsInf: |x| = +inf (ABS, EQUAL), or x = +inf / x = −inf when only detect_positive / detect_negative
 *          is set; neither set gives a constant all-false tensor.
 */
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { numElements } from '../../../ir/tensor.js';

function checkFloat(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  if (!['float32', 'float16', 'float64'].includes(ctx.dtype(x))) ctx.fail('unsupported-dtype', `${node.opType} of ${ctx.dtype(x)} '${x}': only float inputs`);
}

export function importIsNaN(ctx: ImportContext, node: OnnxNode): void {
  checkFloat(ctx, node);
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const ordered = ctx.newTensor(`${node.name}_not_nan`, 'bool', ctx.irShape(tensor), ctx.g.tensor(tensor).layout);
  ctx.emit('LESS_EQUAL', [tensor, ctx.scalarConst(`${node.name}_inf`, 'float32', Infinity)], [ordered]);
  ctx.emit('LOGICAL_NOT', [ordered], [ctx.define(node.outputs[0]!, 'bool', ctx.shape(x), form)]);
}

export function importIsInf(ctx: ImportContext, node: OnnxNode): void {
  checkFloat(ctx, node);
  const x = node.input(0);
  const shape = ctx.shape(x);
  const pos = node.int('detect_positive', 1) === 1;
  const neg = node.int('detect_negative', 1) === 1;
  if (!pos && !neg) return ctx.defineConst(node.outputs[0]!, { dtype: 'bool', shape: [...shape], data: new Uint8Array(numElements(shape)) });
  const { tensor, form } = primaryOf(ctx, x);
  let operand = tensor;
  if (pos && neg) {
    operand = ctx.newTensor(`${node.name}_abs`, 'float32', ctx.irShape(tensor), ctx.g.tensor(tensor).layout);
    ctx.emit('ABS', [tensor], [operand]);
  }
  const inf = ctx.scalarConst(`${node.name}_${neg && !pos ? 'minus_inf' : 'inf'}`, 'float32', neg && !pos ? -Infinity : Infinity);
  ctx.emit('EQUAL', [operand, inf], [ctx.define(node.outputs[0]!, 'bool', shape, form)]);
}
