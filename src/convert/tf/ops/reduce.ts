/**
 * Mean / Sum / Max / Min / Prod (reduction_indices input, keep_dims) → the ONNX reduce lowering on
 * the value's axes; a 4-D input reduced without keep_dims keeps its dims there and drops them with a
 * RESHAPE in TF order (so the result's axes stay in TF's order). All / Any → REDUCE_ALL / REDUCE_ANY.
 */
import { emitReduce } from '../../onnx/ops/reduce.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { reshapeValue } from './values.js';

export function reduce(op: string | BuiltinOpName, tflite = false) {
  return (t: TfContext, node: TfNode): void => {
    const x = node.input(0);
    const s = t.shape(x);
    const axes = [...new Set(t.requireConst(1, 'reduction_indices').map((a) => (a < 0 ? a + s.length : a)))].sort((a, b) => a - b);
    const keep = node.bool('keep_dims', false);
    const viaKeep = !keep && s.length === 4;
    const out = viaKeep ? t.temp('kept') : node.output();
    const logical = axes.map((a) => t.axis(a, s.length));
    const keepdims = keep || viaKeep ? 1 : 0;
    if (tflite) {
      t.onnx((ctx, n) => emitReduce(ctx, n, op as BuiltinOpName, x, logical, out, keepdims === 1), [x], [out], { keepdims });
    } else if (op === 'ReduceSum') t.onnx(op, [x, t.int64Value('axes', logical)], [out], { keepdims });
    else t.onnx(op, [x], [out], { axes: logical, keepdims });
    if (viaKeep) reshapeValue(t, out, s.filter((_, a) => !axes.includes(a)), node.output());
  };
}
