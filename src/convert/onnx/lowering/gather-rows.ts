/**
 * One GATHER of constant rows: ONNX value `x` viewed as [rows, inner] (RESHAPE in ONNX element order),
 * GATHER axis 0 by a 1-D int32 list of row numbers, RESHAPE to the output shape. The form the GPU
 * delegate takes for GATHER (float data, 1-D int32 indices); GatherND / GatherElements / ScatterND
 * with constant indices lower onto it.
 */
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';

/** IR tensor of ONNX value `x` as [rows, inner] in ONNX element order. */
export function rowView(ctx: ImportContext, x: string, inner: number, base: string): string {
  const shape = [numElements(ctx.shape(x)) / inner, inner];
  const t = ctx.g.tensor(ctx.onnxOrder(x));
  // a constant is reshaped here, not by a RESHAPE op
  return t.data ? ctx.constTensor(base, t.dtype, shape, t.data) : ctx.reshape(t.name, shape, 'plain', base);
}

/** Defines ONNX value `outName` [outShape] as rows `rows` of the [·, inner] IR tensor `view`. */
export function gatherRows(ctx: ImportContext, view: string, rows: readonly number[], inner: number, outName: string, outShape: number[]): void {
  const dtype = ctx.g.tensor(view).dtype;
  const picked = ctx.newTensor(`${outName}_rows`, dtype, [rows.length, inner], 'plain');
  ctx.emit('GATHER', [view, ctx.int32Const(`${outName}_row_ids`, rows)], [picked], { axis: 0, batchDims: 0 });
  const out = ctx.define(outName, dtype, outShape, 'ONNX');
  ctx.emit('RESHAPE', [picked, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: [...outShape] });
}
