/**
 * CumSum → CUMSUM (exclusive / reverse as its options) over the constant axis. It runs on any axis,
 * so an NHWC-held value is summed in place along the axis's NHWC position.
 */
import { primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';

export function checkCumSum(ctx: ImportContext, node: OnnxNode): void {
  const axis = node.input(1);
  if (ctx.isRuntime(axis)) ctx.fail('requires-constant-input', `CumSum axis (input '${axis}') must be a constant`);
}

export function importCumSum(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const rank = ctx.rank(x);
  const given = ctx.requireConst(node.input(1), 'CumSum axis');
  if (given.length !== 1) ctx.fail('invalid-model', `CumSum axis '${node.input(1)}' holds ${given.length} values; it must be one`);
  const axis = given[0]! < 0 ? given[0]! + rank : given[0]!;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `CumSum axis ${given[0]} is out of range for rank ${rank}`);
  const { tensor, form } = primaryOf(ctx, x);
  const irAxis = form === 'NHWC' && rank === 4 ? nhwcAxis(axis) : axis;
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form);
  const attrs = { exclusive: node.int('exclusive', 0) === 1, reverse: node.int('reverse', 0) === 1 };
  ctx.emit('CUMSUM', [tensor, ctx.scalarConst(`${out}_axis`, 'int32', irAxis)], [out], attrs);
}
