/**
 * GatherV2 (params, indices, axis; batch_dims 0) → the ONNX Gather lowering when the result keeps the
 * params' rank or no 4-D value is involved; otherwise TFLite GATHER in TF order. GatherNd → GATHER_ND.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function importGather(t: TfContext, node: TfNode): void {
  const [p, idx] = [node.input(0), node.input(1)];
  let axis = node.op === 'Gather' ? 0 : t.requireConst(2, 'axis')[0]!;
  if (node.int('batch_dims', 0) !== 0) t.fail('unsupported-attribute', `batch_dims=${node.int('batch_dims', 0)}`);
  const ps = t.shape(p);
  const is = t.shape(idx);
  if (axis < 0) axis += ps.length;
  const outShape = [...ps.slice(0, axis), ...is, ...ps.slice(axis + 1)];
  if ((ps.length !== 4 && outShape.length !== 4) || is.length === 1) return t.onnx('Gather', [p, idx], [node.output()], { axis: t.axis(axis, ps.length) });
  const out = t.define(node.output(), t.dtype(p), outShape);
  t.emit('GATHER', [t.tensor(p), t.tensor(idx)], [out], { axis, batchDims: 0 });
}

export function importGatherNd(t: TfContext, node: TfNode): void {
  const [p, idx] = [node.input(0), node.input(1)];
  const ps = t.shape(p);
  const is = t.shape(idx);
  const k = is[is.length - 1]!;
  const outShape = [...is.slice(0, -1), ...ps.slice(k)];
  const out = t.define(node.output(), t.dtype(p), outShape);
  t.emit('GATHER_ND', [t.tensor(p), t.tensor(idx)], [out]);
}
