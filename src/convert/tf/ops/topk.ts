/** TopKV2 (input, k): TFLite TOPK_V2 over the last axis in TF order — values and int32 indices. */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function importTopK(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  const k = t.requireConst(1, 'k')[0]!;
  if (!node.bool('sorted', true)) t.fail('unsupported-attribute', 'sorted=false (TFLite TOPK_V2 always sorts)');
  if (k < 1 || k > s[s.length - 1]!) t.fail('shape-mismatch', `k=${k} is out of range for the last axis of [${s}]`);
  const outShape = [...s.slice(0, -1), k];
  const values = t.define(node.output(0), t.dtype(x), outShape);
  const indices = t.define(node.output(1), 'int32', outShape);
  t.emit('TOPK_V2', [t.tensor(x), t.int32Const('k', [k], [])], [values, indices]);
}
