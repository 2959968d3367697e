/**
 * One GATHER of constant rows: ONNX value `x` viewed as [rows, inner] (RESHAPE in ONNX element order),
 * GATHER axis 0 by a 1-D int32 list of row numbers, RESHAPE to the output shape. The form the GPU
 * delegate takes for GATHER (float data, 1-D int32 indices); GatherND / GatherElements / ScatterND
 * with constant indices lower onto it.
 */
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import { constGatherFits, emitConstGather } from './const-gather.js';

/** IR tensor of ONNX value `x` as [rows, inner] in ONNX element order. */
export function rowView(ctx: ImportContext, x: string, inner: number, base: string): string {
  const shape = [numElements(ctx.shape(x)) / inner, inner];
  const t = ctx.g.tensor(ctx.onnxOrder(x));
  // a constant is reshaped here, not by a RESHAPE op
  return t.data ? ctx.constTensor(base, t.dtype, shape, t.data) : ctx.reshape(t.name, shape, 'plain', base);
}

/**
 * IR tensor [rows.length, inner]: rows `rows` of the [·, inner] IR tensor `view`: SLICEs of a
 * [1, ·, inner] view joined along its rows when they form few runs (const-gather.ts), else one GATHER.
 */
export function pickRows(ctx: ImportContext, view: string, rows: readonly number[], inner: number, base: string): string {
  const dtype = ctx.g.tensor(view).dtype;
  if (rows.length > 1 && constGatherFits(3, rows)) {
    const wide = ctx.newTensor(`${base}_rows_wide`, dtype, [1, rows.length, inner], 'plain');
    emitConstGather(ctx, ctx.reshape(view, [1, ...ctx.irShape(view)], 'plain', `${base}_view_wide`), 1, rows, wide);
    return ctx.reshape(wide, [rows.length, inner], 'plain', `${base}_rows`);
  }
  const picked = ctx.newTensor(`${base}_rows`, dtype, [rows.length, inner], 'plain');
  ctx.emit('GATHER', [view, ctx.int32Const(`${base}_row_ids`, rows)], [picked], { axis: 0, batchDims: 0 });
  return picked;
}

/** Defines ONNX value `outName` [outShape] from the IR tensor `flat` holding its elements in ONNX order. */
export function defineFromRows(ctx: ImportContext, flat: string, outName: string, outShape: number[]): void {
  const out = ctx.define(outName, ctx.g.tensor(flat).dtype, outShape, 'ONNX');
  ctx.emit('RESHAPE', [flat, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: [...outShape] });
}

/** Defines ONNX value `outName` [outShape] as rows `rows` of the [·, inner] IR tensor `view`. */
export function gatherRows(ctx: ImportContext, view: string, rows: readonly number[], inner: number, outName: string, outShape: number[]): void {
  defineFromRows(ctx, pickRows(ctx, view, rows, inner, outName), outName, outShape);
}
