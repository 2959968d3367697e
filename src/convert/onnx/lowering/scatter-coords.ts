/**
 * ScatterND / ScatterElements with run-time indices: TFLite SCATTER_ND writes the updates at int32
 * coordinate tuples into zeros of data's shape, summing updates that share a coordinate. Then
 *   add:  out = data + scattered
 *   none: out = SELECT_V2(count > 0, scattered, data), count = SCATTER_ND of ones at the same
 *         coordinates (SELECT, not data·(1 − mask): an Inf or NaN in data stays where it is not
 *         overwritten). Duplicate coordinates are undefined for 'none' in ONNX; here they sum.
 * mul / max / min have no SCATTER_ND form. Runs on the CPU (the GPU delegate has no SCATTER_ND).
 */
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';

export type RuntimeScatter = 'none' | 'add';

/**
 * Defines ONNX value `outName`: ONNX value `data` with IR tensor `updates` (ONNX order, shape
 * coords.shape[:-1] + data.shape[k:]) scattered at the int32 [..., k] coordinates `coords`.
 */
export function scatterAt(ctx: ImportContext, data: string, coords: string, updates: string, reduction: RuntimeScatter, outName: string): void {
  const xs = ctx.shape(data);
  const x = ctx.nchw(data);
  const dtype = ctx.g.tensor(x).dtype;
  const shape = ctx.int32Const(`${outName}_data_shape`, xs);
  const scattered = ctx.newTensor(`${outName}_scattered`, dtype, xs, 'plain');
  ctx.emit('SCATTER_ND', [coords, updates, shape], [scattered]);
  const out = ctx.define(outName, dtype, [...xs], 'ONNX');
  if (reduction === 'add') {
    ctx.emit('ADD', [x, scattered], [out], { activation: 'NONE' });
    return;
  }
  const us = ctx.g.tensor(updates).shape;
  const ones = ctx.constTensor(`${outName}_ones`, 'int32', us, new Int32Array(numElements(us)).fill(1));
  const count = ctx.newTensor(`${outName}_write_count`, 'int32', xs, 'plain');
  ctx.emit('SCATTER_ND', [coords, ones, shape], [count]);
  const written = ctx.newTensor(`${outName}_written`, 'bool', xs, 'plain');
  ctx.emit('GREATER', [count, ctx.scalarConst(`${outName}_zero`, 'int32', 0)], [written]);
  ctx.emit('SELECT_V2', [written, scattered, x], [out]);
}
