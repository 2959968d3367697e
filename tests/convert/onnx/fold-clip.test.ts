/**
 * Clip of constants folds (timm's pad_same computes TF-"SAME" pads in float at export: Ceil → Sub →
 * Mul → Add → Clip(min 0) → Div → Cast → Pad), so the Pad gets constant pads; without the fold a
 * RELU at run time left the pads unknown and the model (EfficientNet-lite, …) was refused.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

function padSame(opset: number, lo: number, hi: number | undefined): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, 2, 5, 5]);
  const c = b.node('Ceil', [b.init('h', [1], [2.5])]); // 3
  const d = b.node('Sub', [c, b.init('k', [1], [0.5])]); // 2.5 → Clip → ≤ hi
  const clip = b.node('Clip', [d, b.init('lo', [], [lo]), ...(hi === undefined ? [] : [b.init('hi', [], [hi])])]);
  const p = b.node('Cast', [clip], { to: attr.int(7) }); // int64 pad amount
  const pads = b.node('Concat', [b.init('z', [2], [0, 0], 'int64'), p, p, b.init('z2', [2], [0, 0], 'int64'), p, p], { axis: attr.int(0) });
  b.output(b.node('Pad', [x, pads], { mode: attr.string('constant') }, 'y'));
  return b.build();
}

describe('Clip folds when its inputs are constant', () => {
  for (const [lo, hi] of [[0, undefined], [0, 1.5], [3, 4]] as const) {
    it(`min ${lo}, max ${hi ?? 'none'}: the pads fold, one PAD`, async () => {
      const { graph } = await expectMatchesOrt(padSame(13, lo, hi));
      expect(opHistogram(graph)).toEqual({ PAD: 1 });
    });
  }
  for (const max of [0.25, undefined]) {
    it(`opset 10 min / max attributes (max ${max ?? 'none'})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 10 });
      const x = b.input('x', [2, 3]);
      const c = b.node('Clip', [b.init('c', [3], [-1, 0.5, 2])], { min: attr.float(0), ...(max === undefined ? {} : { max: attr.float(max) }) });
      b.output(b.node('Add', [x, c], {}, 'y'));
      const { graph } = await expectMatchesOrt(b.build());
      expect(opHistogram(graph)).toEqual({ ADD: 1 });
    });
  }
});
