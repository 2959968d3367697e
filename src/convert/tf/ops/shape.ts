/**
 * Ops whose value is known at conversion time once input shapes are static: Shape / Size / Rank (of
 * any value), Fill / ZerosLike / OnesLike, Range (constant operands) — all constants, no TFLite op.
 * BroadcastTo and Tile run on the ONNX Expand / Tile lowering (4-D shapes carried onto logical axes).
 */
import { allocTyped, type DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import { TO_NCHW } from '../../onnx/layout.js';
import { permuteShape } from '../../../ir/ndarray.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { reshapeValue } from './values.js';

function intConst(t: TfContext, node: TfNode, values: number[], shape: number[]): void {
  const big = node.dtype('out_type') === 'int64';
  t.defineConst(node.output(), big ? { dtype: 'int64', shape, data: BigInt64Array.from(values.map(BigInt)) } : { dtype: 'int32', shape, data: Int32Array.from(values) });
}

export function importShape(t: TfContext, node: TfNode): void {
  const s = t.shape(node.input(0));
  intConst(t, node, s, [s.length]);
}
export function importSize(t: TfContext, node: TfNode): void {
  intConst(t, node, [numElements(t.shape(node.input(0)))], []);
}
export function importRank(t: TfContext, node: TfNode): void {
  t.defineConst(node.output(), { dtype: 'int32', shape: [], data: Int32Array.of(t.rank(node.input(0))) });
}

function filled(t: TfContext, node: TfNode, dtype: DType, shape: number[], v: number | bigint): void {
  const data = allocTyped(dtype, numElements(shape));
  (data as unknown as { fill(v: number | bigint): void }).fill(dtype === 'int64' || dtype === 'uint64' ? BigInt(v) : Number(v));
  t.defineConst(node.output(), { dtype, shape, data });
}

export function importFill(t: TfContext, node: TfNode): void {
  const dims = t.requireConst(0, 'dims');
  const v = t.constData(node.input(1));
  if (!v?.data) return t.fail('requires-constant-input', `value (input '${node.input(1)}') must be a constant`);
  filled(t, node, v.dtype, dims, v.data[0] ?? 0);
}

export function likeOp(value: number) {
  return (t: TfContext, node: TfNode): void => {
    const x = node.input(0);
    filled(t, node, t.dtype(x), t.shape(x), value);
  };
}

export function importRange(t: TfContext, node: TfNode): void {
  t.onnx('Range', [node.input(0), node.input(1), node.input(2)], [node.output()]);
}

export function importBroadcastTo(t: TfContext, node: TfNode): void {
  const shape = t.requireConst(1, 'shape');
  let x = node.input(0);
  const s = t.shape(x);
  if (shape.length === 4 && s.length < 4) {
    x = t.temp('rank4');
    reshapeValue(t, node.input(0), [...new Array<number>(4 - s.length).fill(1), ...s], x);
  }
  t.onnx('Expand', [x, t.int64Value('shape', shape.length === 4 ? permuteShape(shape, TO_NCHW) : shape)], [node.output()]);
}

export function importTile(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const m = t.requireConst(1, 'multiples');
  t.onnx('Tile', [x, t.int64Value('repeats', m.length === 4 ? permuteShape(m, TO_NCHW) : m)], [node.output()]);
}
