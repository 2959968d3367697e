/**
 * Pad / PadV2 / MirrorPad on the ONNX Pad lowering (paddings [rank, 2] in TF axis order → ONNX begins
 * then ends on the value's axes). MirrorPad SYMMETRIC, which ONNX lacks, is TFLite MIRROR_PAD SYMMETRIC.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function importPad(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const rank = t.rank(x);
  const p = t.requireConst(1, 'paddings');
  if (p.length !== rank * 2) t.fail('shape-mismatch', `paddings hold ${p.length} values, the input has rank ${rank}`);
  const mode = node.op === 'MirrorPad' ? node.string('mode', 'REFLECT') : 'CONSTANT';
  if (mode === 'SYMMETRIC') {
    const out = t.define(node.output(), t.dtype(x), t.shape(x).map((d, a) => d + p[2 * a]! + p[2 * a + 1]!));
    return t.emit('MIRROR_PAD', [t.tensor(x), t.int32Const('paddings', p, [rank, 2])], [out], { mirrorMode: 'SYMMETRIC' });
  }
  if (mode !== 'REFLECT' && mode !== 'CONSTANT') t.fail('unsupported-attribute', `MirrorPad mode=${mode}`);
  const pads = new Array<number>(rank * 2);
  for (let a = 0; a < rank; a++) {
    const l = t.axis(a, rank);
    pads[l] = p[2 * a]!;
    pads[l + rank] = p[2 * a + 1]!;
  }
  const inputs = [x, t.int64Value('pads', pads)];
  if (node.op === 'PadV2') inputs.push(node.input(2));
  t.onnx('Pad', inputs, [node.output()], { mode: mode === 'REFLECT' ? 'reflect' : 'constant' });
}
