/**
 * ArgMax / ArgMin → ARG_MAX / ARG_MIN (int64 indices, the first of equal values as ONNX's default).
 * A 4-D input held NHWC is reduced in place when the result keeps its dims (RESHAPE puts the 1 back
 * at the NHWC position) or when the axis is the channels (a segmentation head's argmax: [N,H,W] is
 * already ONNX order); otherwise the ONNX-order view is reduced. ARG_MAX / ARG_MIN run on the CPU.
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { layoutTag, primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';

export function checkArgExtreme(ctx: ImportContext, node: OnnxNode): void {
  if (node.int('select_last_index', 0) !== 0) {
    ctx.fail('unsupported-attribute', `${node.opType} '${node.name}': select_last_index = 1 (the last of equal values) has no TFLite equivalent; ARG_MAX / ARG_MIN return the first`);
  }
}

export function argExtreme(op: Extract<BuiltinOpName, 'ARG_MAX' | 'ARG_MIN'>) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    const rank = xs.length;
    const axis = node.int('axis', 0) < 0 ? node.int('axis', 0) + rank : node.int('axis', 0);
    if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `${node.opType} axis ${node.int('axis', 0)} is out of range for rank ${rank}`);
    if (xs[axis] === 0) ctx.fail('shape-mismatch', `${node.opType} over the empty axis ${axis} of '${x}' [${xs}] has no index to return`);
    const keep = node.int('keepdims', 1) === 1;
    const { tensor, form } = primaryOf(ctx, x);
    const inPlace = form === 'NHWC' && rank === 4 && (keep || axis === 1);
    const src = inPlace ? tensor : ctx.nchw(x);
    const irAxis = inPlace ? nhwcAxis(axis) : axis;
    const srcShape = ctx.g.tensor(src).shape;
    const onnxOut = keep ? xs.map((d, i) => (i === axis ? 1 : d)) : xs.filter((_, i) => i !== axis);
    const out = ctx.define(node.outputs[0]!, 'int64', onnxOut, inPlace && keep ? 'NHWC' : 'ONNX');
    const axisConst = ctx.int32Const(`${node.name}_axis`, [irAxis]);
    if (!keep) {
      ctx.emit(op, [src, axisConst], [out], { outDataType: 'int64' });
      return;
    }
    const reduced = srcShape.filter((_, i) => i !== irAxis);
    const idx = ctx.newTensor(`${node.name}_index`, 'int64', reduced, layoutTag('ONNX', reduced.length));
    ctx.emit(op, [src, axisConst], [idx], { outDataType: 'int64' });
    const kept = srcShape.map((d, i) => (i === irAxis ? 1 : d));
    ctx.emit('RESHAPE', [idx, ctx.int32Const(`${node.name}_shape`, kept)], [out], { newShape: kept });
  };
}
