/**
 * ReduceMean / ReduceSum / ReduceMax / ReduceMin → MEAN / SUM / REDUCE_MAX / REDUCE_MIN with
 * constant int32 axes. Axes come from the `axes` attribute (ReduceSum < 13, the others < 18) or
 * the second input (constant), one table row each (lowering/axes.ts); empty axes reduce everything unless noop_with_empty_axes = 1.
 * An NHWC input is reduced in place with its axes remapped (ONNX C = NHWC axis 3); with
 * keepdims = 0 the result is no longer 4-D, so when the kept axes' NHWC order differs from ONNX
 * order the reduction keeps dims and the small result is transposed and reshaped to ONNX order.
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { numElements } from '../../../ir/tensor.js';
import { type ImportContext, heldNhwc } from '../context.js';
import { nhwcAxis, TO_NCHW, TO_NHWC } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { castValue } from '../lowering/emit-cast.js';
import type { AxesSource } from '../lowering/axes.js';

/** Sorted, unique, non-negative axes to reduce; undefined means "no-op" (empty axes with noop_with_empty_axes). */
export function reducedAxes(ctx: ImportContext, node: OnnxNode, rank: number, axesOf: AxesSource): number[] | undefined {
  const axes = axesOf(ctx, node);
  if (!axes || axes.length === 0) {
    if (node.int('noop_with_empty_axes', 0) === 1) return undefined;
    return [...Array(rank).keys()];
  }
  const norm = axes.map((a) => (a < 0 ? a + rank : a));
  const bad = norm.find((a) => a < 0 || a >= rank);
  if (bad !== undefined) ctx.fail('invalid-model', `${node.opType} axis ${bad < 0 ? bad - rank : bad} is out of range for rank ${rank}`);
  return [...new Set(norm)].sort((p, q) => p - q);
}

export function reduce(op: BuiltinOpName, axesOf: AxesSource) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    const outName = node.outputs[0]!;
    const axes = reducedAxes(ctx, node, xs.length, axesOf);
    if (!axes) return ctx.alias(outName, x);
    // an empty input is a constant (empty.ts): ReduceSum/Prod/Max/Min over it fold to their identity before this importer
    if (numElements(xs) === 0) {
      const why = node.opType === 'ReduceMean' ? 'ONNX leaves the mean of no elements undefined (onnxruntime returns 0, numpy NaN)' : 'TFLite reduces need at least one element';
      ctx.fail('shape-mismatch', `${node.opType} of the empty tensor '${x}' [${xs}] is not supported: ${why}`);
    }
    if (ctx.dtype(x) === 'bool' && (op === 'REDUCE_MAX' || op === 'REDUCE_MIN')) {
      // opset 20 bool ReduceMax / ReduceMin (any / all): exact on 0/1 floats, cast back to bool
      const f = castValue(ctx, x, 'float32', `${node.name}__as_float`);
      const r = `${node.name}__result_float`;
      emitReduce(ctx, node, op, f, axes, r);
      castValue(ctx, r, 'bool', outName);
      return;
    }
    emitReduce(ctx, node, op, x, axes, outName);
  };
}

/**
 * `op` over `axes` of ONNX value `x` into ONNX value `outName` (`node` names the steps; `keep`
 * defaults to its keepdims). reduce-composite.ts builds ReduceL1 / L2 / LogSum / LogSumExp / SumSquare on it.
 */
export function emitReduce(ctx: ImportContext, node: OnnxNode, op: BuiltinOpName, x: string, axes: number[], outName: string, keep = node.int('keepdims', 1) === 1): void {
  const xs = ctx.shape(x);
  const rank = xs.length;
  const dtype = ctx.dtype(x) === 'float16' ? 'float32' : ctx.dtype(x);
  const kept = xs.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keep ? kept : xs.filter((_, i) => !axes.includes(i));
  const nhwc = heldNhwc(ctx, x);
  if (!nhwc) {
    const out = ctx.define(outName, dtype, outShape, 'ONNX');
    ctx.emit(op, [ctx.nchw(x), ctx.int32Const(`${out}_axes`, axes)], [out], { keepDims: keep });
    return;
  }
  const src = ctx.nhwc(x);
  const irAxes = axes.map(nhwcAxis).sort((p, q) => p - q);
  // the ONNX axes of the NHWC result's remaining dims, in NHWC order
  const remaining = TO_NHWC.filter((_, j) => !irAxes.includes(j));
  const inOrder = remaining.every((a, i) => i === 0 || remaining[i - 1]! < a);
  if (keep || inOrder) {
    const out = ctx.define(outName, dtype, outShape, 'NHWC');
    ctx.emit(op, [src, ctx.int32Const(`${out}_axes`, irAxes)], [out], { keepDims: keep });
    return;
  }
  const keptNhwc = TO_NHWC.map((a) => kept[a]!);
  const t = ctx.newTensor(`${node.name}_kept`, dtype, keptNhwc, 'NHWC');
  ctx.emit(op, [src, ctx.int32Const(`${t}_axes`, irAxes)], [t], { keepDims: true });
  const onnxOrder = ctx.permute(t, TO_NCHW, 'NCHW', `${node.name}_kept_nchw`);
  const out = ctx.define(outName, dtype, outShape, 'ONNX');
  ctx.emit('RESHAPE', [onnxOrder, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: [...outShape] });
}
