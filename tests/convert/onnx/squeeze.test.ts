/** Squeeze / Unsqueeze → RESHAPE only (never SQUEEZE / EXPAND_DIMS), TRANSPOSE only where the ONNX element order demands it. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

function axesIn(b: OnnxGraphBuilder, opset: number, axes: number[]): { extra: string[]; attrs: Record<string, number[]> } {
  return opset >= 13 ? { extra: [b.init(b.name('axes'), [axes.length], axes, 'int64')], attrs: {} } : { extra: [], attrs: { axes } };
}

describe('Squeeze / Unsqueeze', () => {
  for (const opset of [11, 13]) {
    for (const keepIoLayout of [false, true]) {
      const tag = `opset ${opset}, keepIoLayout ${keepIoLayout}`;
      it(`Squeeze [1,C,1,1] → [1,C] after global pooling: RESHAPE only (${tag})`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        const p = b.node('GlobalAveragePool', [b.input('x', [1, 4, 3, 3])]);
        const { extra, attrs } = axesIn(b, opset, [2, 3]);
        b.output(b.node('Squeeze', [p, ...extra], attrs, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout });
        // keepIoLayout: the NCHW graph input is transposed once for the pooling (required)
        expect(opHistogram(graph)).toEqual({ MEAN: 1, RESHAPE: 1, ...(keepIoLayout ? { TRANSPOSE: 1 } : {}) });
      });
      it(`Unsqueeze [N,C] → [N,C,1,1] → Conv: no TRANSPOSE (${tag})`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        const { extra, attrs } = axesIn(b, opset, [-1, 2]);
        const u = b.node('Unsqueeze', [b.input('x', [2, 3]), ...extra], attrs);
        b.output(b.node('Conv', [u, b.init('w', [5, 3, 1, 1], normalFloat32(15, 1))], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout });
        const h = opHistogram(graph);
        expect(h.TRANSPOSE ?? 0).toBe(0); // NHWC ↔ NCHW of [N,C,1,1] moves only size-1 axes: a RESHAPE
        expect(h.SQUEEZE ?? 0).toBe(0);
        expect(h.EXPAND_DIMS ?? 0).toBe(0);
      });
      it(`Squeeze without axes on [1,C,H,W] → [C,H,W] (${tag})`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        b.output(b.node('Squeeze', [b.input('x', [1, 3, 4, 5])], {}, 'y'));
        const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
        expect(error).toBe(0);
        // [C,H,W] is ONNX order: from an NHWC input the channel axis must move (one TRANSPOSE, required)
        expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(keepIoLayout ? 0 : 1);
      });
      it(`Unsqueeze then Squeeze round trip on a 3-D tensor (${tag})`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        const a1 = axesIn(b, opset, [0]);
        const u = b.node('Unsqueeze', [b.input('x', [3, 4, 5]), ...a1.extra], a1.attrs);
        const r = b.node('Relu', [u]);
        const a2 = axesIn(b, opset, [0]);
        b.output(b.node('Squeeze', [r, ...a2.extra], a2.attrs, 'y'));
        const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
        expect(error).toBe(0);
        expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
      });
    }
  }
  it('rejects squeezing an axis that is not 1, naming the node', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Squeeze', [b.input('x', [1, 3]), b.init('a', [1], [1], 'int64')], {}, 'y'));
    const { importOnnx } = await import('../../../src/convert/onnx/import.js');
    let diag: unknown;
    try {
      importOnnx(b.build());
    } catch (e) {
      diag = (e as { diagnostics: unknown[] }).diagnostics[0];
    }
    expect(diag).toMatchObject({ node: 'Squeeze_node_0', reason: 'shape-mismatch', message: expect.stringMatching(/axis 1 has length 3, not 1/) });
  });
});
