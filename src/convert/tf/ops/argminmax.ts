/**
 * ArgMax / ArgMin (axis input, output_type) → TFLite ARG_MAX / ARG_MIN over the TF-order input
 * (both return the first index of equal values, as TF does).
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function argMinMax(op: 'ARG_MAX' | 'ARG_MIN') {
  return (t: TfContext, node: TfNode): void => {
    const x = node.input(0);
    const s = t.shape(x);
    let axis = t.requireConst(1, 'axis')[0]!;
    if (axis < 0) axis += s.length;
    const dtype = node.dtype('output_type') ?? 'int64';
    if (dtype !== 'int32' && dtype !== 'int64') t.fail('unsupported-dtype', `output_type ${dtype}`);
    const out = t.define(node.output(), dtype, s.filter((_, a) => a !== axis));
    t.emit(op, [t.tensor(x), t.int32Const('axis', [axis], [1])], [out], { outDataType: dtype });
  };
}
