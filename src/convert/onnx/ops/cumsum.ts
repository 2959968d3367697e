/**
 * CumSum → CUMSUM over the constant axis. It runs on any axis, so an NHWC-held value is summed in place
 * along the axis's NHWC position. For float values the GPU delegate's limits are lowered around:
 * exclusive / reverse from the plain inclusive sum c (exclusive c − x, reverse total − c + x, both
 * total − c, total the SUM over the axis), and the batch axis 0 by a RESHAPE to [1, d0, rest] (a
 * size-1 axis needs no sum at all). Integer CumSum keeps CUMSUM's own exclusive / reverse (exact).
 */
import { primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { irSteps } from '../lowering/ir-steps.js';

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
  const dtype = ctx.dtype(x);
  const exclusive = node.int('exclusive', 0) === 1;
  const reverse = node.int('reverse', 0) === 1;
  const shape = ctx.irShape(tensor);
  if (dtype === 'float32') {
    if (shape[irAxis] === 1) {
      // one element along the axis: the value itself, or zeros when exclusive
      if (!exclusive) return ctx.alias(node.outputs[0]!, x);
      return ctx.defineConst(node.outputs[0]!, { dtype, shape: ctx.shape(x), data: new Float32Array(shape.reduce((p, d) => p * d, 1)) });
    }
    const out = ctx.define(node.outputs[0]!, dtype, ctx.shape(x), form);
    if (irAxis !== 0) return void emitGpuCumSum(ctx, tensor, irAxis, { exclusive, reverse }, out);
    const rest = shape.slice(1).reduce((p, d) => p * d, 1);
    const lifted = ctx.reshape(tensor, [1, shape[0]!, rest], 'plain', `${out}_batch_lifted`);
    const sum = ctx.newTensor(`${out}_batch_sum`, dtype, [1, shape[0]!, rest], 'plain');
    emitGpuCumSum(ctx, lifted, 1, { exclusive, reverse }, sum);
    ctx.emit('RESHAPE', [sum, ctx.int32Const(`${out}_shape`, shape)], [out], { newShape: [...shape] });
    return;
  }
  const out = ctx.define(node.outputs[0]!, dtype, ctx.shape(x), form);
  ctx.emit('CUMSUM', [tensor, ctx.scalarConst(`${out}_axis`, 'int32', irAxis)], [out], { exclusive, reverse });
}

/** The cumulative sum of float IR tensor `x` along `axis` (not 0) into `out`, with no CUMSUM option set. */
function emitGpuCumSum(ctx: ImportContext, x: string, axis: number, opts: { exclusive: boolean; reverse: boolean }, out: string): void {
  const dtype = ctx.g.tensor(x).dtype;
  const st = irSteps(ctx, out, 'cumsum');
  const axisConst = ctx.scalarConst(`${out}_axis`, 'int32', axis);
  if (!opts.exclusive && !opts.reverse) return void ctx.emit('CUMSUM', [x, axisConst], [out], { exclusive: false, reverse: false });
  const inclusive = st.op('CUMSUM', [x, axisConst], dtype, { exclusive: false, reverse: false });
  if (!opts.reverse) return void ctx.emit('SUB', [inclusive, x], [out], { activation: 'NONE' });
  // reverse: total − (c − x), with exclusive total − c; as −((…) − total) so the broadcast total comes second
  const keptShape = ctx.irShape(x).map((d, i) => (i === axis ? 1 : d));
  const total = ctx.newTensor(`${out}_total`, dtype, keptShape, ctx.g.tensor(x).layout);
  ctx.emit('SUM', [x, ctx.int32Const(`${out}_total_axes`, [axis])], [total], { keepDims: true });
  const before = opts.exclusive ? inclusive : st.arith('SUB', inclusive, x, dtype);
  ctx.emit('NEG', [st.arith('SUB', before, total, dtype)], [out]);
}
