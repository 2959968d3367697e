/**
 * SpaceToBatchND / BatchToSpaceND (4-D NHWC, constant block shape and paddings / crops) that are not part
 * of a dilated convolution (patterns/dilated-conv.ts folds those): TFLite SPACE_TO_BATCH_ND /
 * BATCH_TO_SPACE_ND in TF order.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function spaceBatch(op: 'SPACE_TO_BATCH_ND' | 'BATCH_TO_SPACE_ND') {
  return (t: TfContext, node: TfNode): void => {
    const x = node.input(0);
    const s = t.shape(x);
    if (s.length !== 4) t.fail('unsupported-attribute', `${node.op} of a rank-${s.length} input (only 4-D NHWC)`);
    const block = t.requireConst(1, 'block_shape');
    const pads = t.requireConst(2, op === 'SPACE_TO_BATCH_ND' ? 'paddings' : 'crops');
    if (block.length !== 2 || pads.length !== 4) t.fail('unsupported-attribute', `block_shape [${block}] / ${op === 'SPACE_TO_BATCH_ND' ? 'paddings' : 'crops'} [${pads}] must cover H and W`);
    const [n, h, w, c] = s as [number, number, number, number];
    const [bh, bw] = block as [number, number];
    let out: number[];
    if (op === 'SPACE_TO_BATCH_ND') {
      const [ph, pw] = [h + pads[0]! + pads[1]!, w + pads[2]! + pads[3]!];
      if (ph % bh || pw % bw) t.fail('shape-mismatch', `padded ${ph}×${pw} is not divisible by block [${block}]`);
      out = [n * bh * bw, ph / bh, pw / bw, c];
    } else {
      if (n % (bh * bw)) t.fail('shape-mismatch', `batch ${n} is not divisible by block [${block}]`);
      out = [n / (bh * bw), h * bh - pads[0]! - pads[1]!, w * bw - pads[2]! - pads[3]!, c];
    }
    const y = t.define(node.output(), t.dtype(x), out);
    t.emit(op, [t.tensor(x), t.int32Const('block_shape', block), t.int32Const('pads', pads, [2, 2])], [y]);
  };
}
