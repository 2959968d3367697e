/**
 * ArgMax / ArgMin (axis input, output_type) → TFLite ARG_MAX in TF order; ArgMin is ARG_MAX of the
 * negated input (exact, and the first index wins ties either way).
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
    let src = t.tensor(x);
    if (op === 'ARG_MIN') {
      const neg = t.newTensor('negated', t.dtype(x), s, s.length === 4 ? 'NHWC' : 'plain');
      t.emit('NEG', [src], [neg]);
      src = neg;
    }
    const out = t.define(node.output(), dtype, s.filter((_, a) => a !== axis));
    t.emit('ARG_MAX', [src, t.int32Const('axis', [axis], [1])], [out], { outDataType: dtype });
  };
}
