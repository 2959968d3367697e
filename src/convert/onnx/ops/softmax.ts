/**
 * Softmax. Opset ≥ 13 (`importSoftmax`): one axis — TFLite's SOFTMAX works on the last IR axis, so an
 * NHWC input with axis = C needs nothing, other axes are moved last and back. Opsets 1–12
 * (`importSoftmaxFlattened`): the input is coerced to 2-D at `axis` (default 1; softmax over the
 * flattened trailing dims) → RESHAPE, SOFTMAX, RESHAPE, the one-axis form when `axis` is the last.
 */
import { numElements } from '../../../ir/tensor.js';
import { nhwcAxis } from '../layout.js';
import { type ImportContext, heldNhwc } from '../context.js';
import type { OnnxNode } from '../node.js';

const axisOf = (ctx: ImportContext, node: OnnxNode, byDefault: number): number => {
  const axis = node.int('axis', byDefault);
  return axis < 0 ? axis + ctx.rank(node.input(0)) : axis;
};

export function importSoftmax(ctx: ImportContext, node: OnnxNode): void {
  softmaxOverAxis(ctx, node, axisOf(ctx, node, -1));
}

export function importSoftmaxFlattened(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const axis = axisOf(ctx, node, 1);
  if (axis === xs.length - 1) return softmaxOverAxis(ctx, node, axis);
  const dtype = ctx.dtype(x);
  const flat = [numElements(xs.slice(0, axis)), numElements(xs.slice(axis))];
  const t2 = ctx.reshape(ctx.onnxOrder(x), flat, 'plain', `${node.name}_2d`);
  const s2 = ctx.newTensor(`${node.name}_softmax2d`, dtype, flat, 'plain');
  ctx.emit('SOFTMAX', [t2], [s2], { beta: 1 });
  const out = ctx.define(node.outputs[0]!, dtype, xs, 'ONNX');
  ctx.emit('RESHAPE', [s2, ctx.int32Const(`${out}_shape`, xs)], [out], { newShape: [...xs] });
}

function softmaxOverAxis(ctx: ImportContext, node: OnnxNode, axis: number): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const dtype = ctx.dtype(x);
  const outName = node.outputs[0]!;
  const nhwc = heldNhwc(ctx, x);
  const src = nhwc ? ctx.nhwc(x) : ctx.nchw(x);
  const irAxis = nhwc ? nhwcAxis(axis) : axis;
  const form = nhwc ? 'NHWC' : 'ONNX';
  if (irAxis === rank - 1) {
    const out = ctx.define(outName, dtype, xs, form);
    ctx.emit('SOFTMAX', [src], [out], { beta: 1 });
    return;
  }
  const perm = [...Array(rank).keys()].filter((a) => a !== irAxis).concat(irAxis);
  const inv = perm.map((_, i) => perm.indexOf(i));
  const moved = ctx.permute(src, perm, 'plain', `${node.name}_axis_last`);
  const sm = ctx.newTensor(`${node.name}_softmax`, dtype, ctx.irShape(moved), 'plain');
  ctx.emit('SOFTMAX', [moved], [sm], { beta: 1 });
  const back = ctx.permute(sm, inv, rank === 4 ? (nhwc ? 'NHWC' : 'NCHW') : 'plain', outName);
  ctx.bind(outName, back, dtype, xs, form);
}
